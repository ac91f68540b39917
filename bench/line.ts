/** One row of the bench's table: the figure, its target and the verdict ("—" when it has no target). */
export function line(name: string, value: string, target: string, ok: boolean | undefined): void {
  const verdict = ok === undefined ? "—" : ok ? "OK" : "BELOW TARGET";
  console.log(`${name.padEnd(44)} ${value.padEnd(28)} target ${target.padEnd(16)} ${verdict}`);
}
