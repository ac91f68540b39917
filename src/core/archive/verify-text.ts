import { formatDateTime } from "../time.ts";
import { scopeLabel } from "./scope.ts";
import type { VerifyResult } from "./verify.ts";

/** The verifier's answer as people read it (also printed by `npm run archive:verify`). */
export function verifyText(v: VerifyResult, tz: string): string {
  const when = (ms: number) => formatDateTime(ms, tz);
  const warn = v.triggerProblems.length
    ? [`⚠️ 存档触发器异常，部分记录可能未存档：${v.triggerProblems.join("；")}`]
    : [];
  if (v.broken) {
    const b = v.broken;
    const reason = {
      content: "记录内容与其哈希不符（该记录被改动过）",
      link: `与前一条记录 ${b.previousId} 的哈希对不上（前一条被改动或被替换）`,
      gap: `与前一条记录 ${b.previousId} 之间缺少记录，且没有到期清理记录能说明（记录被删除）`,
      unhashed: "记录没有哈希（不是由机器人写入的）",
    }[b.reason];
    return [
      `❌ 档案校验未通过：第一处断链在记录 ${b.id}（范围 ${scopeLabel(b.scope)}，时间 ${when(b.at)}）`,
      `原因：${reason}`,
      `共检查 ${v.records} 条记录。该处之后的记录无法证明未被改动，请立即报告管理员，由管理员与最近的备份核对。`,
      ...warn,
    ].join("\n");
  }
  if (!v.first || !v.last) return ["✅ 档案为空，没有需要校验的记录", ...warn].join("\n");
  return [
    `✅ 档案完整：${v.records} 条记录逐条校验哈希链通过`,
    `最早：记录 ${v.first.id}（${when(v.first.at)}）｜最新：记录 ${v.last.id}（${when(v.last.at)}）`,
    v.purges
      ? `到期清理 ${v.purges} 次，共清理 ${v.purged} 条，每处缺口都有清理记录为证`
      : "尚未清理过到期记录",
    `链尾哈希：${v.last.hash}（可与备份核对）`,
    ...warn,
  ].join("\n");
}
