import { z } from "zod";
import { readDataFile } from "../data-file.ts";

/** Review chains as data (policy/chains.json). */

const stepSchema = z.object({
  key: z.string(),
  label: z.string(),
  role: z.string(),
  when: z.enum(["always", "flagged"]).optional(),
  ledgerColumn: z.number().int().min(1).max(3).optional(),
});
const fileSchema = z.object({
  chains: z.record(
    z.string(),
    z.object({ label: z.string(), kind: z.string().default("content"), steps: z.array(stepSchema).min(1) }),
  ),
});

export type ChainStep = z.infer<typeof stepSchema>;

const path = new URL("../../../policy/chains.json", import.meta.url);
export const chains = readDataFile(path, fileSchema, { zh: "审核链配置", en: "review chains file" }).chains;

/**
 * Chains renamed since a database may have stored their old name (policy value, items in review):
 * "seed002" cited the wrong seed; the three-level chain is seeds/003 二.1.
 */
const RENAMED: Record<string, string> = { seed002: "seed003" };

/** The steps an item goes through: conditional steps only when the item is flagged (#广告/#敏感/findings). */
export function stepsFor(chainName: string, flagged: boolean): ChainStep[] {
  const chain = chains[RENAMED[chainName] ?? chainName];
  if (!chain) throw new Error(`unknown review chain ${chainName}`);
  return chain.steps.filter((s) => (s.when ?? "always") === "always" || flagged);
}

/** Chains an admin may choose for ordinary content (`/policy set review.chain`). */
export const contentChainNames = Object.entries(chains)
  .filter(([, c]) => c.kind === "content")
  .map(([name]) => name);

/** Each content chain's Chinese label, for /policy (which shows 内容审核（《制度》第八条）, not "default"). */
export const contentChainLabels: Record<string, string> = Object.fromEntries(
  contentChainNames.map((name) => [name, chains[name]?.label ?? name]),
);
