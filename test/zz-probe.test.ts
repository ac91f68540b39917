import { it } from "vitest";
import { seedRoles } from "./support/harness.ts";
import { startInProcess } from "./support/in-process.ts";

it("probe", async () => {
  for (let round = 0; round < 8; round++) {
    let t = performance.now();
    const h = await startInProcess({});
    const boot = performance.now() - t;
    t = performance.now();
    await seedRoles(h);
    const seed = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < 5; i++) await h.say("wang", "/help");
    const help5 = performance.now() - t;
    t = performance.now();
    await h.close();
    const close = performance.now() - t;
    console.log(
      "inproc",
      JSON.stringify({ boot, seed, help5, close }, (_k, v) => (typeof v === "number" ? Math.round(v) : v)),
    );
  }
}, 120000);
