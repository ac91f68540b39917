// What an empty chat shows instead of nothing: who you are, what to try first, and examples that fill the
// composer when clicked (nothing is sent until you press 发送).
const SUBMIT_EXAMPLE = "/submit 抖音 周末新本首发\n本周末最好玩的新本上线，欢迎预约！";
const CRISIS_EXAMPLE = "/crisis 2 微博上有顾客说城东店密室受伤，已有转发";

const FIRST_STEPS = {
  wang: {
    text: "从这里开始：提交一篇内容给机器人审核。点下面的例子填入输入框，再点「发送」；然后在「我是」（手机上点「☰ 会话」）切换到 运营负责人-李姐，她会收到初审卡片。",
    examples: [
      ["提交一篇内容（含违禁词「最好」）", SUBMIT_EXAMPLE],
      ["用表单提交", "/submit"],
      ["看看能做什么", "/help"],
    ],
  },
  li: {
    text: "运营负责人：小王提交的内容会以「初审」卡片出现在这里，点「通过」或写意见后「驳回」。还没有？先切换到 运营-小王 提交一篇。",
    examples: [
      ["查看待办", "/status"],
      ["看看能做什么", "/help"],
    ],
  },
  zhou: {
    text: "危机小组：危机呼叫会出现在「危机群」，点「收到」成为负责人；没人确认时每隔几分钟重复呼叫。任何人都可以报告危机：",
    examples: [
      ["报告一次二级危机", CRISIS_EXAMPLE],
      ["看看能做什么", "/help"],
    ],
  },
};

const GENERIC = {
  text: "这里还没有消息。发 /help 看看这个身份能做什么；或在「我是」（手机上点「☰ 会话」）切换身份。顶部的「快进时间」可以让催办、日报、周报按时到来。",
  examples: [
    ["看看能做什么", "/help"],
    ["提交一篇内容", SUBMIT_EXAMPLE],
    ["报告一次危机", CRISIS_EXAMPLE],
  ],
};

/** The hint for `person` in an empty chat; `use(text)` puts an example into the composer. */
export function emptyChatHint(person, label, use) {
  const steps = FIRST_STEPS[person] ?? GENERIC;
  const box = document.createElement("div");
  box.className = "hint-card";
  const title = document.createElement("div");
  title.className = "hint-title";
  title.textContent = `👋 你现在是「${label}」`;
  const text = document.createElement("p");
  text.textContent = steps.text;
  const list = document.createElement("div");
  list.className = "examples";
  for (const [name, example] of steps.examples) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "example";
    b.title = example;
    b.textContent = name;
    b.addEventListener("click", () => use(example));
    list.append(b);
  }
  box.append(title, text, list);
  return box;
}
