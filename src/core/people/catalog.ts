import { z } from "zod";
import { readDataFile } from "../data-file.ts";

/** Roles, group purposes and platforms as data (policy/roles.json), looked up by key, label or alias. */

const file = z.object({
  roles: z.array(z.object({ key: z.string(), label: z.string(), rank: z.number() })),
  groupPurposes: z.array(
    z.object({ key: z.string(), label: z.string(), needsStore: z.boolean().optional() }),
  ),
  platforms: z.array(z.object({ key: z.string(), label: z.string(), aliases: z.array(z.string()) })),
});

export type Catalog = z.infer<typeof file>;
export type RoleDef = Catalog["roles"][number];

const path = new URL("../../../policy/roles.json", import.meta.url);
export const catalog: Catalog = readDataFile(path, file, { zh: "角色与平台表", en: "roles file" });

const norm = (s: string) => s.trim().toLowerCase();

export function findRole(text: string): RoleDef | undefined {
  const t = norm(text);
  return catalog.roles.find((r) => r.key === t || r.label === text.trim());
}

export function roleLabel(key: string): string {
  return catalog.roles.find((r) => r.key === key)?.label ?? key;
}

export function findPurpose(text: string) {
  const t = norm(text);
  if (!t) return undefined;
  return catalog.groupPurposes.find(
    (p) => p.key === t || p.label === text.trim() || p.label.startsWith(text.trim()),
  );
}

export function findPlatform(text: string) {
  const t = norm(text);
  return catalog.platforms.find((p) => p.key === t || p.label === text.trim() || p.aliases.includes(t));
}

export function platformLabel(key: string): string {
  return catalog.platforms.find((p) => p.key === key)?.label ?? key;
}
