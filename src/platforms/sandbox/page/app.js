import { markdownToHtml, renderCard } from "/sandbox/static/card.js";
import { askConfirm } from "/sandbox/static/dialog.js";
import { emptyChatHint } from "/sandbox/static/hint.js";
import { Unread } from "/sandbox/static/unread.js";

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

const unread = new Unread((path) => api(path));

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
        confirm: askConfirm,
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
    img.addEventListener("load", () => follow.settle());
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

/**
 * The message list scrolls inside a fixed-height page. It follows new messages while the reader is at the
 * bottom; a reader who scrolled up keeps their place and gets a 「有新消息」 button instead.
 */
const follow = {
  atBottom: true,
  onScroll() {
    const box = $("#messages");
    follow.atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    if (follow.atBottom) $("#jump").classList.remove("show");
  },
  /** After a render (or an image loading): stay at the bottom if we were there. */
  settle() {
    if (follow.atBottom) follow.toBottom();
  },
  toBottom() {
    const box = $("#messages");
    box.scrollTop = box.scrollHeight;
    follow.atBottom = true;
    $("#jump").classList.remove("show");
  },
};

let shown = "";

/** Values typed or ticked in card fields, by message and field, so a re-render does not lose them. */
function cardFields(box) {
  return box.querySelectorAll(".msg[data-id] input, .msg[data-id] textarea, .msg[data-id] select");
}
const fieldKey = (f) =>
  `${f.closest(".msg").dataset.id}:${f.name}${f.type === "checkbox" ? `:${f.value}` : ""}`;

/**
 * Re-renders the chat only when something in it changed, and carries over what the visitor has typed
 * into card inputs: a message arriving while someone writes a 驳回 opinion must not wipe it.
 */
async function loadMessages() {
  if (!state.chat) return;
  const list = await api(`/sandbox/api/messages?chat=${encodeURIComponent(state.chat)}`);
  unread.seen(state.person, state.chat, list.length);
  const signature = `${state.person}|${state.chat}|${JSON.stringify(list)}`;
  if (signature === shown) return;
  const sameChat = shown.startsWith(`${state.person}|${state.chat}|`);
  const grew = sameChat && list.length > Number($("#messages").dataset.count ?? 0);
  shown = signature;
  const box = $("#messages");
  const typed = new Map();
  for (const f of cardFields(box)) {
    if (f.name) typed.set(fieldKey(f), f.type === "checkbox" ? f.checked : f.value);
  }
  box.dataset.count = String(list.length);
  if (list.length === 0) {
    const label = state.people.find((p) => p.key === state.person)?.label ?? "";
    box.replaceChildren(emptyChatHint(state.person, label, useExample));
  } else box.replaceChildren(...list.map(renderMessage));
  for (const f of cardFields(box)) {
    const value = typed.get(fieldKey(f));
    if (value === undefined) continue;
    if (f.type === "checkbox") f.checked = value;
    else f.value = value;
  }
  if (!sameChat) follow.toBottom();
  else if (follow.atBottom) follow.toBottom();
  else if (grew) $("#jump").classList.add("show");
}

function useExample(text) {
  const composer = $("#composer");
  composer.value = text;
  composer.focus();
}

async function loadChats() {
  state.chats = await api(`/sandbox/api/chats?person=${encodeURIComponent(state.person)}`);
  if (!state.chats.some((c) => c.chatId === state.chat)) state.chat = state.chats[0]?.chatId ?? "";
  await loadMessages();
  renderChatList();
}

/** The chat list with unread marks, the person picker's counts, and the phone's 会话 button. */
function renderChatList() {
  const ul = $("#chats");
  ul.replaceChildren(
    ...state.chats.map((c) => {
      const li = document.createElement("li");
      li.dataset.chat = c.chatId;
      li.className = c.chatId === state.chat ? "active" : "";
      const name = document.createElement("span");
      name.textContent = c.name;
      li.append(name);
      const n = c.chatId === state.chat ? 0 : unread.count(state.person, c.chatId);
      if (n > 0) {
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = n > 99 ? "99+" : String(n);
        badge.title = `${n} 条未读`;
        li.append(badge);
      }
      li.addEventListener("click", () => {
        state.chat = c.chatId;
        setSide(false);
        loadChats();
      });
      return li;
    }),
  );
  $("#chat-title").textContent = state.chats.find((c) => c.chatId === state.chat)?.name ?? "";
  for (const o of $("#person").options) {
    const p = state.people.find((x) => x.key === o.value);
    const n = p && p.key !== state.person ? unread.total(p.key, p.chats ?? []) : 0;
    o.textContent = n > 0 ? `${p.label}（${n} 条未读）` : (p?.label ?? o.value);
  }
  const others = unread.total(
    state.person,
    state.chats.filter((c) => c.chatId !== state.chat),
  );
  $("#toggle-side").textContent = others > 0 ? `☰ 会话（${others}）` : "☰ 会话";
}

/** On a phone the chat list is a drawer over the chat; on a wide screen it is always there. */
function setSide(open) {
  document.body.classList.toggle("side-open", open);
  $("#toggle-side").setAttribute("aria-expanded", String(open));
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
  await unread.refresh();
  unread.baseline(state.people);
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

  // What you send yourself is scrolled into view, even if you had scrolled up.
  $("#composer-form").addEventListener("submit", () => {
    follow.atBottom = true;
  });
  $("#messages").addEventListener("scroll", follow.onScroll, { passive: true });
  $("#jump").addEventListener("click", follow.toBottom);
  $("#toggle-side").addEventListener("click", () => setSide(!document.body.classList.contains("side-open")));
  $("#scrim").addEventListener("click", () => setSide(false));
  const ffButtons = [...document.querySelectorAll("[data-ff]")];
  for (const b of ffButtons) {
    b.addEventListener("click", async () => {
      // The bot lives through the skipped span step by step (every reminder and page at its own time),
      // which takes a moment: one fast-forward at a time.
      for (const x of ffButtons) x.disabled = true;
      document.body.classList.add("forwarding");
      try {
        const c = await api("/sandbox/api/advance", { ms: Number(b.dataset.ff) });
        $("#clock").textContent = c.text;
        toast({ type: "info", content: `已快进到 ${c.text}` });
      } finally {
        for (const x of ffButtons) x.disabled = false;
        document.body.classList.remove("forwarding");
      }
    });
  }
  let pending;
  new EventSource("/sandbox/api/events").onmessage = () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      await unread.refresh();
      await loadMessages();
      renderChatList();
      loadClock();
    }, 100);
  };
  await loadChats();
  await loadClock();
}

init();
