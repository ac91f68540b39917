/**
 * Files through the 智能机器人: the ledger CSV and the report chart are uploaded over the long connection
 * (the SDK's chunked upload: init → chunks → finish with md5) and sent by their media_id.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type BotHarness, startBotHarness } from "../fakes/wecom-bot/harness.ts";

const OPS_GROUP = "wrk_ops";
let h: BotHarness;
afterEach(async () => {
  await h.close();
});

describe("files through the robot", () => {
  it("/ledger sends the CSV file; /report week in the ops group sends its chart as an image", async () => {
    h = await startBotHarness();
    h.bot.addGroup(OPS_GROUP, ["admin", "xiaowang"]);
    await h.say("admin", "/role add marketing_head @zhangzong(张总)");
    await h.say("admin", "/role add ops @xiaowang(小王)");
    await h.say("zhangzong", "/ledger 2026-11");
    const file = h.bot.state.in("zhangzong").find((m) => m.msgtype === "file");
    expect(file).toBeDefined();
    const csv = h.bot.state.media.get(file?.content as string);
    expect(csv?.filename).toBe("审核台账-2026-11.csv");
    expect(csv?.bytes.toString("utf8").startsWith("\uFEFF编号,内容标题")).toBe(true);
    expect(h.bot.state.texts("zhangzong").at(-1)).toContain("审核台账");

    await h.say("xiaowang", "/metric 抖音 曝光=1.2万 点赞=300");
    await h.say("xiaowang", "/report week", { chatid: OPS_GROUP });
    const image = h.bot.state.in(OPS_GROUP).find((m) => m.msgtype === "image");
    expect(image).toBeDefined();
    const png = h.bot.state.media.get(image?.content as string);
    expect(png?.type).toBe("image");
    expect(png?.bytes.subarray(1, 4).toString()).toBe("PNG");
    expect(h.bot.state.texts(OPS_GROUP).some((t) => t.includes("周报"))).toBe(true);
  }, 30_000);
});
