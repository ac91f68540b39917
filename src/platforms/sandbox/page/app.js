import { markdownToHtml, renderCard } from "/sandbox/static/card.js";

// The sandbox page: pick a demo person, see their DMs and groups, type as them, click cards as them.
const $ = (sel) => document.querySelector(sel);
const state = { person: "", chat: "", people: [], chats: [], timezone: "Asia/Shanghai" };

/** What a refused request means to the visitor (the server's own Chinese error when it sent one). */
const REFUSED = {
  413: "消息太长（超过 1 MB），没有发送。文字还在输入框里，删短一些再发送。",
};

const api = async (path, body) => {
  let res;
  try {
    res = await fetch(
      path,
      body
        ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }
        : {},
    );
  } catch {
    return { error: "连接不上沙盒服务，请确认它仍在运行后再试。" };
  }
  const data = await res.json().catch(() => undefined);
  if (res.ok) return data ?? {};
  return { error: data?.error ?? REFUSED[res.status] ?? "没有发送成功，请稍后再试。" };
};

const nameOf = (openId) => state.people.find((p) => p.openId === openId)?.name ?? openId;

function toast(t) {
  if (!t) return;
  const box = $("#toast");
  box.textContent = t.content;
  box.className = `show ${t.type ?? ""}`;
  clearTimeout(toast.timer);
  // An error the visitor has to act on stays long enough to be read.
  toast.timer = setTimeout(() => (box.className = ""), t.sticky ? 10_000 : 3000);
}

function renderMessage(m) {
  const mine = m.from === state.person;
  const wrap = document.createElement("div");
  wrap.className = `msg ${mine ? "mine" : ""}`;
  wrap.dataset.from = m.from;
  wrap.dataset.id = m.id;
  const who = document.createElement("div");
  who.className = "who";
  who.textContent = `${m.fromName} · ${new Date(m.at).toLocaleString("zh-CN", { hour12: false, timeZone: state.timezone })}`;
  wrap.append(who);
  if (m.card) {
    wrap.append(
      renderCard(m.card, {
        nameOf,
        imageUrl: (key) => `/sandbox/api/image/${encodeURIComponent(key)}`,
        onAction: async ({ value, formValue, name }) => {
          const res = await api("/sandbox/api/click", {
            person: state.person,
            messageId: m.id,
            value,
            formValue,
            name,
          });
          toast(res.toast ?? (res.error ? { type: "error", content: res.error } : undefined));
        },
      }),
    );
    wrap.dataset.kind = "card";
    return wrap;
  }
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  if (m.msgType === "image") {
    const img = document.createElement("img");
    img.src = `/sandbox/api/image/${encodeURIComponent(m.content.image_key)}`;
    img.alt = "图片";
    img.style.maxWidth = "100%";
    bubble.append(img);
    wrap.dataset.kind = "image";
  } else if (m.msgType === "file") {
    const a = document.createElement("a");
    a.href = `/sandbox/api/file/${encodeURIComponent(m.content.file_key)}`;
    a.textContent = `📎 ${m.fileName ?? "文件"}`;
    bubble.className = "bubble file";
    bubble.append(a);
    wrap.dataset.kind = "file";
  } else {
    bubble.innerHTML = markdownToHtml(m.content?.text ?? "", nameOf).replace(/\*\*|<b>|<\/b>/g, "");
    wrap.dataset.kind = "text";
  }
  wrap.append(bubble);
  return wrap;
}

let shown = "";

/**
 * Re-renders the chat only when something in it changed, and carries over what the visitor has typed
 * into card inputs: a message arriving while someone writes a 驳回 opinion must not wipe it.
 */
async function loadMessages() {
  if (!state.chat) return;
  const list = await api(`/sandbox/api/messages?chat=${encodeURIComponent(state.chat)}`);
  const signature = `${state.person}|${state.chat}|${JSON.stringify(list)}`;
  if (signature === shown) return;
  shown = signature;
  const box = $("#messages");
  const typed = new Map();
  for (const f of box.querySelectorAll(".msg[data-id] input, .msg[data-id] textarea, .msg[data-id] select")) {
    if (f.name && !f.multiple) typed.set(`${f.closest(".msg").dataset.id}:${f.name}`, f.value);
  }
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren(...list.map(renderMessage));
  for (const f of box.querySelectorAll(".msg[data-id] input, .msg[data-id] textarea, .msg[data-id] select")) {
    const value = typed.get(`${f.closest(".msg").dataset.id}:${f.name}`);
    if (value !== undefined) f.value = value;
  }
  if (atBottom) box.scrollTop = box.scrollHeight;
}

async function loadChats() {
  state.chats = await api(`/sandbox/api/chats?person=${encodeURIComponent(state.person)}`);
  if (!state.chats.some((c) => c.chatId === state.chat)) state.chat = state.chats[0]?.chatId ?? "";
  const ul = $("#chats");
  ul.replaceChildren(
    ...state.chats.map((c) => {
      const li = document.createElement("li");
      li.textContent = c.name;
      li.dataset.chat = c.chatId;
      li.className = c.chatId === state.chat ? "active" : "";
      li.addEventListener("click", () => {
        state.chat = c.chatId;
        loadChats();
      });
      return li;
    }),
  );
  $("#chat-title").textContent = state.chats.find((c) => c.chatId === state.chat)?.name ?? "";
  await loadMessages();
}

async function loadClock() {
  const c = await api("/sandbox/api/clock");
  $("#clock").textContent = c.text;
  state.timezone = c.timezone ?? state.timezone;
}

async function init() {
  state.people = await api("/sandbox/api/people");
  const sel = $("#person");
  sel.replaceChildren(
    ...state.people.map((p) => {
      const o = document.createElement("option");
      o.value = p.key;
      o.textContent = p.label;
      return o;
    }),
  );
  state.person = state.people[0]?.key ?? "";
  sel.addEventListener("change", () => {
    state.person = sel.value;
    loadChats();
  });
  $("#composer-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("#composer").value;
    if (!text.trim()) return;
    // The composer is emptied only once the message was taken: a refused one stays to be edited.
    const res = await api("/sandbox/api/say", { person: state.person, chatId: state.chat, text });
    if (res.error) return toast({ type: "error", content: res.error, sticky: true });
    if ($("#composer").value === text) $("#composer").value = "";
  });
  $("#composer").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("#composer-form").requestSubmit();
  });
  for (const b of document.querySelectorAll("[data-ff]")) {
    b.addEventListener("click", async () => {
      const c = await api("/sandbox/api/advance", { ms: Number(b.dataset.ff) });
      $("#clock").textContent = c.text;
      toast({ type: "info", content: `已快进到 ${c.text}` });
    });
  }
  let pending;
  new EventSource("/sandbox/api/events").onmessage = () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      loadMessages();
      loadClock();
    }, 100);
  };
  await loadChats();
  await loadClock();
}

init();
