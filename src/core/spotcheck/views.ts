import { eq } from "drizzle-orm";
import { type spotChecks, tickets } from "../../store/schema/index.ts";
import { SENTIMENT_LABEL } from "../feedback/deps.ts";
import { platformLabel } from "../people/catalog.ts";
import { storeName } from "../people/stores.ts";
import { getItem, latestRevision, publicationsOf } from "../review/repo.ts";
import type { Services } from "../services.ts";
import { formatShort } from "../time.ts";
import type { CardView } from "../types.ts";

export type SpotCheck = typeof spotChecks.$inferSelect;

export const spotNo = (id: number) => `S-${id}`;
export const spotCardRef = (id: number) => `spot:${id}`;

const clip = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n).join("")}…` : s);
const BODY_PREVIEW = 300;

/** What the item is: title, facts and the text a checker reads. */
function subject(
  services: Services,
  s: SpotCheck,
): { title: string; facts: string[]; bodyLabel: string; body: string } {
  const owner = s.ownerId ? services.people.name(s.ownerId) : "未知";
  if (s.kind === "content") {
    const item = getItem(services.db, s.itemId);
    const pubs = publicationsOf(services.db, s.itemId);
    const rev = latestRevision(services.db, s.itemId);
    return {
      title: `内容 #${item.id}《${clip(item.title, 30)}》`,
      facts: [
        `作者：${owner}`,
        `发布：${pubs.map((p) => `${platformLabel(p.platform)} ${formatShort(p.publishedAt, services.tz)}${p.link ? ` ${clip(p.link, 80)}` : ""}`).join("；") || "未发布"}`,
        `合规预审：${rev.findings.length ? `${rev.findings.length} 处问题` : "未发现问题"}｜完整内容：/status ${item.id}`,
      ],
      bodyLabel: "正文",
      body: clip(rev.body, BODY_PREVIEW),
    };
  }
  const t = services.db.select().from(tickets).where(eq(tickets.id, s.itemId)).get();
  const store = storeName(services.db, t?.storeId ?? null);
  const onTime = t?.dueAt == null ? "无时限" : (t.closedAt ?? 0) <= t.dueAt ? "按时" : "超时";
  return {
    title: `工单 T-${s.itemId}`,
    facts: [
      `门店：${store ?? "未指定"}｜${SENTIMENT_LABEL[t?.sentiment ?? ""] ?? ""}｜处理人：${owner}`,
      `处理：${t?.closedAt ? formatShort(t.closedAt, services.tz) : "—"}（首次响应${onTime}）`,
      `处理说明：${clip(t?.note ?? "", 200)}`,
    ],
    bodyLabel: "客户反馈",
    body: clip(t?.text ?? "", BODY_PREVIEW),
  };
}

/** The checker's card (template `duty_decision`): 合格 / 不合格 (不合格 needs a reason). */
export function spotCard(services: Services, s: SpotCheck): CardView {
  const no = spotNo(s.id);
  const what = subject(services, s);
  const open = s.status === "pending";
  const who = s.checkerId ? services.people.name(s.checkerId) : "";
  const when = s.decidedAt ? formatShort(s.decidedAt, services.tz) : "";
  const notice =
    s.status === "pass"
      ? `✅ ${who} ${when} 判定合格`
      : s.status === "fail"
        ? `❌ ${who} ${when} 判定不合格：${clip(s.reason ?? "", 200)}${s.rectificationId ? `；已下发整改通知 R-${s.rectificationId}` : ""}`
        : `请判定：合格，或不合格（须写原因，并向${s.ownerId ? services.people.name(s.ownerId) : "责任人"}下发整改通知）；文字：/spotcheck 合格 ${no}｜/spotcheck 不合格 ${no} <原因>`;
  return {
    template: "duty_decision",
    data: {
      headerTitle: `🔍 每日抽查 ${no} · ${what.title}${s.status === "pass" ? " · 合格" : s.status === "fail" ? " · 不合格" : ""}`,
      headerColor: s.status === "pass" ? "green" : s.status === "fail" ? "red" : "blue",
      summary: `每日抽查 ${no}：${what.title}`,
      subtitle: `抽查 ${s.day}（《制度》第十三条(一)）`,
      facts: what.facts.join("\n"),
      bodyLabel: what.bodyLabel,
      body: what.body,
      notice,
      open,
      okLabel: "合格",
      okValue: { a: "spot.decide", s: s.id, v: "pass" },
      noLabel: "不合格",
      noValue: { a: "spot.decide", s: s.id, v: "fail" },
      reasonHint: "不合格原因（点「不合格」时必填）",
      reasonLabel: "不合格原因",
      doneLabel: s.status === "pass" ? "合格" : "不合格",
    },
  };
}
