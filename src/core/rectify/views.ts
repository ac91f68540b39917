import type { Services } from "../services.ts";
import { formatShort } from "../time.ts";
import type { CardView } from "../types.ts";
import { type Rectification, rectNo, STATUS_LABEL } from "./repo.ts";

/** The one-line and card views of an R-n. */

const clip = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n).join("")}…` : s);

export function isOverdue(r: Rectification, now: number): boolean {
  return r.status === "open" && r.dueAt <= now;
}

/** "R-2 小王：抽查不合格：…（截止 11-19 09:30，🔴 已超期）" */
export function rectLine(services: Services, r: Rectification, now: number): string {
  const state =
    r.status === "done"
      ? `已完成，待 ${services.people.name(r.issuerId)} 确认`
      : isOverdue(r, now)
        ? "🔴 已超期"
        : (STATUS_LABEL[r.status] ?? r.status);
  return `${rectNo(r.id)} ${services.people.name(r.ownerId)}：${clip(r.matter, 40)}（截止 ${formatShort(r.dueAt, services.tz)}，${state}）`;
}

/** The issuer's card once the owner answered: 确认整改 / 退回重改 (the latter needs a reason). */
export function confirmCard(services: Services, r: Rectification): CardView {
  const no = rectNo(r.id);
  const open = r.status === "done";
  const outcome =
    r.status === "confirmed"
      ? `✅ ${formatShort(r.confirmedAt ?? 0, services.tz)} 已确认整改完成`
      : r.status === "open"
        ? `↩️ 已退回重改，新截止 ${formatShort(r.dueAt, services.tz)}`
        : `确认整改完成，或退回重改（须写原因）；文字：/rectify confirm ${no}｜/rectify reopen ${no} <原因>`;
  return {
    template: "duty_decision",
    data: {
      headerTitle: `📌 整改通知 ${no} · ${STATUS_LABEL[r.status] ?? r.status}`,
      headerColor: r.status === "confirmed" ? "green" : open ? "blue" : "orange",
      summary: `${no} 整改待确认`,
      subtitle: `整改人：${services.people.name(r.ownerId)} · 下发：${services.people.name(r.issuerId)}`,
      facts: [
        `事项：${clip(r.matter, 300)}`,
        `截止：${formatShort(r.dueAt, services.tz)}${r.doneAt && r.doneAt > r.dueAt ? "（超期完成）" : ""}`,
      ].join("\n"),
      bodyLabel: "整改说明",
      body: clip(r.doneNote ?? "", 500),
      notice: outcome,
      open,
      okLabel: "确认整改",
      okValue: { a: "rectify.confirm", r: r.id },
      noLabel: "退回重改",
      noValue: { a: "rectify.reopen", r: r.id },
      reasonHint: "退回原因（点「退回重改」时必填）",
      reasonLabel: "退回原因",
      doneLabel: r.status === "confirmed" ? "已确认" : "已退回",
    },
  };
}
