/**
 * The grammar of crisis handling: /crisis (raise, list, show, stage, level, note, statement, publish,
 * close) and /ack.
 */
import fc from "fast-check";
import { STAGE_LABEL, STAGES } from "../../../src/core/crisis/model.ts";
import {
  type BadCase,
  bad,
  badNumber,
  type Case,
  c,
  junkWord,
  opt,
  pad2,
  pick,
  U,
  UH,
  words,
} from "./vocab.ts";

const TIERS = ["1", "2", "3", "一级", "二级", "三级", "较大", "重大", "一般", "2级"];
const STAGE_WORDS = STAGES.flatMap((s) => [s, STAGE_LABEL[s]]);
const crisisRef = fc.constantFrom("C-1", "c-1", "C1", "1", "C-2");

export const crisisCommands: Record<string, fc.Arbitrary<Case>> = {
  crisis: fc.oneof(
    c(
      "lin",
      "crisis",
      fc
        .tuple(
          pick(["/crisis", "/危机"]),
          pick(TIERS),
          words(4),
          opt(
            fc
              .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) })
              .map(({ h, m }) => `发现于=${pad2(h)}:${pad2(m)}`),
          ),
        )
        .map(([s, t, d, f]) => `${s} ${t} ${d}${f}`),
    ),
    c(
      "lin",
      "crisis",
      fc.tuple(pick(["list", "列表", "ls"]), opt(pick(["all", "全部"]))).map(([l, a]) => `/crisis ${l}${a}`),
    ),
    c(
      "lin",
      "crisis",
      fc.tuple(pick(["show", "查看", "详情"]), crisisRef).map(([s, n]) => `/crisis ${s} ${n}`),
    ),
    c(
      "lin",
      "crisis",
      fc.tuple(crisisRef, pick(STAGE_WORDS), words(2)).map(([n, st, d]) => `/crisis stage ${n} ${st} ${d}`),
    ),
    c(
      "zhang",
      "crisis",
      fc.tuple(crisisRef, pick(["1", "2", "3", "二级"])).map(([n, t]) => `/crisis level ${n} ${t}`),
    ),
    c(
      "lin",
      "crisis",
      fc.tuple(pick(["note", "evidence"]), crisisRef, words(3)).map(([s, n, t]) => `/crisis ${s} ${n} ${t}`),
    ),
    c(
      "zhang",
      "crisis",
      fc.tuple(crisisRef, words(5)).map(([n, t]) => `/crisis statement ${n}\n${t}`),
    ),
    c(
      "liu",
      "crisis",
      fc
        .tuple(crisisRef, opt(fc.constant("https://weibo.com/x")))
        .map(([n, l]) => `/crisis publish ${n}${l}`),
    ),
    c(
      "lin",
      "crisis",
      fc.tuple(crisisRef, words(3)).map(([n, t]) => `/crisis close ${n} ${t}`),
    ),
  ),
  ack: c(
    "lin",
    "ack",
    fc.tuple(pick(["/ack", "/收到"]), crisisRef).map(([s, n]) => `${s} ${n}`),
  ),
};

export const crisisBad: fc.Arbitrary<BadCase>[] = [
  bad(
    "lin",
    "crisis",
    UH,
    fc.oneof(
      fc.constant("/crisis"),
      pick(TIERS).map((t) => `/crisis ${t}`),
      pick([
        "/crisis 4 有人受伤",
        "/crisis 0 差评",
        "/危机 2 差评 发现于=25:00",
        "/crisis 2 差评 发现于=9点",
      ]),
    ),
  ),
  bad(
    "lin",
    "crisis",
    U,
    fc
      .tuple(
        pick(["show", "stage", "level", "evidence", "note", "statement", "publish", "close"]),
        fc.oneof(
          junkWord,
          badNumber.filter((n) => !/^C-|^１$/.test(n)),
        ),
      )
      .map(([s, n]) => `/crisis ${s} ${n} 内容`),
  ),
  bad(
    "lin",
    "crisis",
    U,
    fc.oneof(
      junkWord.map((w) => `/crisis stage C-1 ${w} 说明`),
      pick(["/crisis level C-1 5", "/crisis level C-1", "/crisis note C-1"]),
    ),
  ),
  bad(
    "lin",
    "ack",
    U,
    fc
      .oneof(
        junkWord,
        badNumber.filter((n) => !/^C-|^１$/.test(n)),
      )
      .map((n) => `/ack ${n}`),
  ),
];
