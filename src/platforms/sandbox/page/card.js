// Renders Feishu card JSON 2.0 (the subset the bot sends) into DOM, readably: header colour, markdown,
// plain text, columns, buttons, forms with inputs and selects, images. Clicking calls ctx.onAction.

const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

/** Feishu's lark_md, simply: **bold**, <at id=…></at> mentions, line breaks. Escapes everything else. */
export function markdownToHtml(md, nameOf) {
  const escaped = String(md).replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c],
  );
  return escaped
    .replace(/&lt;at (?:id|user_id)=(?:&quot;)?([\w-]+)(?:&quot;)?&gt;(.*?)&lt;\/at&gt;/g, (_, id, name) => {
      const who = id === "all" ? "所有人" : name || nameOf(id);
      return `<span class="at">@${who}</span>`;
    })
    .replace(/\*\*(.+?)\*\*/g, "<b>$1</b>")
    .replace(/\n/g, "<br>");
}

function renderElement(node, ctx, form) {
  switch (node.tag) {
    case "markdown": {
      const d = el("div", "md");
      d.innerHTML = markdownToHtml(node.content ?? "", ctx.nameOf);
      return d;
    }
    case "div": {
      const t = node.text ?? {};
      const d = el("div", `div ${t.text_size === "notation" ? "notation" : ""}`);
      if (t.tag === "lark_md") d.innerHTML = markdownToHtml(t.content ?? "", ctx.nameOf);
      else d.textContent = t.content ?? "";
      return d;
    }
    case "hr":
      return el("hr");
    case "img": {
      const img = el("img");
      img.src = ctx.imageUrl(node.img_key);
      img.alt = node.alt?.content ?? "图片";
      return img;
    }
    case "column_set": {
      const row = el("div", "cols");
      for (const col of node.columns ?? []) {
        const c = el("div", `col ${col.width === "auto" ? "auto" : ""}`);
        for (const child of col.elements ?? []) c.append(renderElement(child, ctx, form));
        row.append(c);
      }
      return row;
    }
    case "form": {
      const f = el("form");
      f.dataset.name = node.name ?? "";
      f.addEventListener("submit", (e) => e.preventDefault());
      for (const child of node.elements ?? []) f.append(renderElement(child, ctx, f));
      return f;
    }
    case "input": {
      const multi = node.input_type === "multiline_text";
      const i = el(multi ? "textarea" : "input");
      i.name = node.name ?? "";
      i.placeholder = node.placeholder?.content ?? "";
      if (multi) i.rows = 3;
      return i;
    }
    case "select_static":
    case "multi_select_static": {
      const s = el("select");
      s.name = node.name ?? "";
      s.multiple = node.tag === "multi_select_static";
      if (!s.multiple) s.append(el("option", "", node.placeholder?.content ?? "请选择"));
      if (!s.multiple) s.firstChild.value = "";
      for (const o of node.options ?? []) {
        const opt = el("option", "", o.text?.content ?? o.value);
        opt.value = o.value;
        s.append(opt);
      }
      s.title = node.placeholder?.content ?? "";
      return s;
    }
    case "button": {
      const b = el("button", `btn ${node.type ?? "default"}`, node.text?.content ?? "按钮");
      b.type = "button";
      const value = node.behaviors?.find((x) => x.type === "callback")?.value ?? node.value ?? {};
      b.addEventListener("click", () => {
        const formValue = node.form_action_type === "submit" && form ? collect(form) : undefined;
        ctx.onAction({ value, formValue, name: node.name });
      });
      return b;
    }
    default:
      return el("div", "notation", `[${node.tag}]`);
  }
}

function collect(form) {
  const out = {};
  for (const field of form.querySelectorAll("input, textarea, select")) {
    if (!field.name) continue;
    out[field.name] = field.multiple ? [...field.selectedOptions].map((o) => o.value) : field.value;
  }
  return out;
}

export function renderCard(card, ctx) {
  const box = el("div", "card");
  const h = card?.header;
  if (h) {
    const head = el("div", `card-header tpl-${h.template ?? "default"}`);
    head.append(el("div", "title", h.title?.content ?? ""));
    if (h.subtitle?.content) head.append(el("div", "sub", h.subtitle.content));
    box.append(head);
  }
  const body = el("div", "card-body");
  for (const node of card?.body?.elements ?? []) body.append(renderElement(node, ctx, undefined));
  box.append(body);
  return box;
}
