// Renders Feishu card JSON 2.0 (the subset the bot sends) into DOM, readably: header colour, markdown,
// plain text, columns, buttons, forms with inputs and selects, images. Clicking calls ctx.onAction, after
// ctx.confirm({ title, text }) resolves true when the button asks for a confirmation.

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

/** Form fields a preceding markdown line labels. */
const FIELDS = new Set(["input", "select_static", "multi_select_static"]);
let labelIds = 0;

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
      const children = node.elements ?? [];
      let label;
      children.forEach((child, i) => {
        const rendered = renderElement(child, ctx, f);
        // A markdown line just before a field is that field's label (the form card writes them so).
        const next = children[i + 1];
        if (child.tag === "markdown" && FIELDS.has(next?.tag)) {
          rendered.id = `lbl-${++labelIds}`;
          rendered.classList.add("field-label");
          label = rendered.id;
        } else if (FIELDS.has(child.tag) && label) {
          rendered.setAttribute("aria-labelledby", label);
          label = undefined;
        }
        f.append(rendered);
      });
      return f;
    }
    case "input": {
      const multi = node.input_type === "multiline_text";
      const i = el(multi ? "textarea" : "input");
      i.name = node.name ?? "";
      i.placeholder = node.placeholder?.content ?? "";
      i.setAttribute("aria-label", i.placeholder);
      if (multi) i.rows = 3;
      return i;
    }
    case "select_static": {
      const s = el("select");
      s.name = node.name ?? "";
      s.append(el("option", "", node.placeholder?.content ?? "请选择"));
      s.firstChild.value = "";
      for (const o of node.options ?? []) {
        const opt = el("option", "", o.text?.content ?? o.value);
        opt.value = o.value;
        s.append(opt);
      }
      return s;
    }
    case "multi_select_static": {
      // Feishu shows a drop-down with a tick box per option; here the options are labelled tick boxes.
      const group = el("div", "checks");
      group.setAttribute("role", "group");
      group.dataset.name = node.name ?? "";
      group.title = node.placeholder?.content ?? "";
      for (const o of node.options ?? []) {
        const label = el("label", "check");
        const box = el("input");
        box.type = "checkbox";
        box.name = node.name ?? "";
        box.value = o.value;
        label.append(box, o.text?.content ?? o.value);
        group.append(label);
      }
      return group;
    }
    case "button": {
      const b = el("button", `btn ${node.type ?? "default"}`, node.text?.content ?? "按钮");
      b.type = "button";
      const value = node.behaviors?.find((x) => x.type === "callback")?.value ?? node.value ?? {};
      b.addEventListener("click", async () => {
        // Feishu asks first when the button has `confirm` (e.g. 确认升级？); 取消 sends nothing.
        if (node.confirm && !(await ctx.confirm(node.confirm))) return;
        const formValue = node.form_action_type === "submit" && form ? collect(form) : undefined;
        ctx.onAction({ value, formValue, name: node.name });
      });
      return b;
    }
    default:
      return el("div", "notation", `[${node.tag}]`);
  }
}

/** The form's values as Feishu sends them: text as strings, a multi-select as the list of ticked values. */
function collect(form) {
  const out = {};
  for (const field of form.querySelectorAll("input, textarea, select")) {
    if (!field.name) continue;
    if (field.type === "checkbox") {
      out[field.name] ??= [];
      if (field.checked) out[field.name].push(field.value);
    } else out[field.name] = field.value;
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
