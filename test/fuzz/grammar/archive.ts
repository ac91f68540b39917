/** The grammar of the archive: /archive search, show, request, mark, verify, log. */
import fc from "fast-check";
import { type BadCase, bad, type Case, c, junkWord, opt, pick, U, word, words } from "./vocab.ts";

const SCOPES = [
  "#1",
  "1",
  "T-1",
  "C-1",
  "审核",
  "工单",
  "危机",
  "数据",
  "报表",
  "规则",
  "操作日志",
  "档案",
  "全部",
  "*",
];

export const archiveCommands: Record<string, fc.Arbitrary<Case>> = {
  archive: fc.oneof(
    c(
      "zhang",
      "archive",
      fc
        .tuple(pick(["search", "查阅", "搜索"]), fc.oneof(word, fc.constant("*")), opt(pick(SCOPES)))
        .map(([s, k, sc]) => `/archive ${s} ${k}${sc}`),
    ),
    c(
      "zhang",
      "archive",
      fc.integer({ min: 1, max: 500 }).map((n) => `/archive show ${n}`),
    ),
    c(
      "wang",
      "archive",
      fc
        .tuple(pick(SCOPES), words(3), opt(fc.constant("#外部")))
        .map(([s, r, e]) => `/archive request ${s} ${r}${e}`),
    ),
    c(
      "admin",
      "archive",
      fc.tuple(pick(["#1", "T-1", "C-1"]), fc.constant("重大")).map(([s, l]) => `/archive mark ${s} ${l}`),
    ),
    c("admin", "archive", pick(["/archive verify", "/archive log", "/档案 校验", "/archive mark"])),
  ),
};

export const archiveBad: fc.Arbitrary<BadCase>[] = [
  bad(
    "zhang",
    "archive",
    U,
    fc.oneof(
      junkWord.filter((w) => !/^(search|show|request|mark|verify|log)$/i.test(w)).map((w) => `/archive ${w}`),
      pick([
        "/archive search",
        "/archive search a 工单 b c",
        "/archive show",
        "/archive show abc",
        "/archive show 0",
        "/archive request",
        "/archive request 工单",
      ]),
    ),
  ),
];
