import type { CommandDef } from "../commands/registry.ts";
import { UserError } from "../types.ts";
import { checkCompliance, type Finding } from "./check.ts";

/**
 * /check <正文> (/预审): the pre-check on a draft, answered at once, nothing stored or submitted. The same
 * check runs on /submit; this is for the author who wants to fix a draft before it meets a reviewer.
 */

const USAGE = "用法：/check <正文>（可多行）——只做合规预审，不提交审核。例：/check 全城最好玩的新本上线";

/** One line per finding: the words as written, what they are, the clause, and what to write instead. */
export function findingLines(findings: readonly Finding[]): string[] {
  return findings.map((f, i) => `${i + 1}. ${f.message}`);
}

export const checkCommand: CommandDef = {
  name: "check",
  aliases: ["预审", "合规预审"],
  usage: USAGE,
  summary: "对草稿做合规预审（不提交）",
  audience: ["ops", "ops_lead", "marketing_head", "legal"],
  run(ctx) {
    const draft = [ctx.rest, ctx.body].filter((s) => s.trim() !== "").join("\n");
    if (draft.trim() === "") throw new UserError(USAGE);
    const findings = checkCompliance({ title: "", body: draft, isAd: false });
    if (findings.length === 0) {
      ctx.reply("✅ 合规预审未发现问题。预审只是提示，提交后仍按流程审核。");
      return;
    }
    ctx.reply(
      [
        `合规预审发现 ${findings.length} 处问题（提交后会进入合规审核）：`,
        ...findingLines(findings),
        "预审只是提示，不会阻止提交。",
      ].join("\n"),
    );
  },
};
