/**
 * The fixture week of the report tests (ISO week 2026-W47, Monday 16 to Sunday 22 November), built with
 * the real commands people type: two platforms (抖音, 小红书) with last week's numbers to compare with, two
 * stores, three items (one passed first time, one rejected then passed, one with compliance findings still
 * in review), four tickets (one breached), one 一级 crisis acknowledged after 12 minutes and contained in
 * time, and per-item metrics with targets.
 */
import { type Harness, seedRoles } from "../support/harness.ts";

export const at = (iso: string) => Date.parse(`${iso}+08:00`);

export async function buildFixtureWeek(h: Harness): Promise<void> {
  const when = async (iso: string) => {
    h.clock.set(at(iso));
    await h.settle();
  };
  await seedRoles(h);
  await h.say("admin", "/role add cs @小美");
  await h.say("admin", "/store add 城东店");
  await h.say("admin", "/store add 城西店");
  await h.say("admin", "/bind ops", { chatId: "oc_ops" });
  await h.say("admin", "/bind crisis", { chatId: "oc_crisis" });

  // Last week (2026-W46): the numbers this week is compared with.
  await h.say("wang", "/metric 抖音 2026-11-10 曝光=10万 点赞=3000 评论=500 转发=500 关注=200");
  await h.say("wang", "/metric 小红书 2026-11-12 曝光=4万 点赞=1200 评论=300 收藏=100 关注=100");

  // Monday: #1 passes first time, #2 is rejected at 复审.
  await h.say("wang", "/submit 抖音 周末新本首发\n周六新本首发，欢迎预约");
  await h.say("wang", "/submit 小红书 城东店探店\n城东店环境升级，欢迎来玩");
  await when("2026-11-16T11:00:00");
  await h.say("li", "/approve 2");
  await when("2026-11-16T12:00:00");
  await h.say("li", "/approve 1");
  await when("2026-11-16T13:00:00");
  await h.say("zhang", "/approve 1");
  await when("2026-11-16T13:30:00");
  await h.say("liu", "/approve 1");
  await when("2026-11-16T14:00:00");
  await h.say("liu", "/publish 1 抖音");
  await when("2026-11-16T15:00:00");
  await h.say("zhang", "/reject 2 封面图需要换成门店实拍");
  await h.say("wang", "/metric 抖音 曝光=5万 点赞=1500 评论=300 转发=200 关注=120");
  await h.say("mei", "/metric 城东店 到店=40 预约=30 套餐=20 好评率=96 差评=1");
  await h.say("wang", "/feedback 城东店 DM很专业，剧本很好玩，五星好评");
  await h.say("wang", "/feedback 城东店 服务太差了，等了一个小时，要求退款");

  // Tuesday: #2 revision 2 passes; the complaint is answered in time.
  await when("2026-11-17T09:00:00");
  await h.say("mei", "/done T-2 已致电道歉并退款");
  await when("2026-11-17T10:00:00");
  await h.say("wang", "/resubmit 2\n城东店环境升级，封面换成门店实拍");
  await when("2026-11-17T11:00:00");
  await h.say("li", "/approve 2");
  await when("2026-11-17T12:00:00");
  await h.say("zhang", "/approve 2");
  await when("2026-11-17T12:30:00");
  await h.say("liu", "/approve 2");
  await when("2026-11-17T13:00:00");
  await h.say("liu", "/publish 2 小红书");
  await h.say("wang", "/metric 小红书 曝光=3万 点赞=900 评论=300 收藏=200 关注=80");
  await h.say("mei", "/metric 城东店 到店=60 预约=50 套餐=25 好评率=98 差评=0");
  await h.say("wang", "/feedback 城西店 包间空调坏了，体验很差，很失望");

  // Wednesday: #3 with compliance findings; a 一级 crisis, acknowledged after 12 minutes, contained in time.
  await when("2026-11-18T10:00:00");
  await h.say("wang", "/submit 抖音 全网最低价套餐 #广告\n全网最低价，周末套餐限时抢购");
  await h.say("wang", "/crisis 1 城西店顾客在大众点评连发差评");
  await when("2026-11-18T10:12:00");
  await h.say("zhang", "/ack C-1");
  await when("2026-11-18T16:00:00");
  await h.say("li", "/approve 3");
  await h.say("wang", "/metric 抖音 曝光=7万 点赞=2500 评论=400 转发=100 关注=180");
  await h.say("mei", "/metric 城西店 到店=30 预约=20 套餐=10 好评率=90% 差评=2");
  await when("2026-11-18T20:00:00");
  await h.say("zhang", "/crisis stage C-1 后续修复 已道歉并补偿");

  // Thursday: the per-item numbers (seeds/003 模板3) and targets.
  await when("2026-11-19T10:00:00");
  await h.say("wang", "/metric #1 曝光=5万 点赞=1600 评论=300 转发=200");
  await h.say("wang", "/metric #2 曝光=3万 点赞=900 评论=300");
  await h.say("wang", "/target #1 曝光=10万");
  await h.say("wang", "/target #2 互动=1000");
}
