import type { Page } from "playwright-core";

export interface Layout {
  docHeight: number;
  winHeight: number;
  docWidth: number;
  winWidth: number;
  composerBottom: number;
  messagesWidth: number;
  scrolls: boolean;
  fromBottom: number;
  scrollTop: number;
}

/** Layout numbers of the page as it is now: what a person sees without scrolling the page itself. */
export async function layout(p: Page): Promise<Layout> {
  // Runs in the page (a string: this file is compiled without the DOM's types).
  return p.evaluate(`(() => {
    const list = document.querySelector("#messages");
    return {
      docHeight: document.documentElement.scrollHeight,
      winHeight: window.innerHeight,
      docWidth: document.documentElement.scrollWidth,
      winWidth: window.innerWidth,
      composerBottom: document.querySelector("#composer-form").getBoundingClientRect().bottom,
      messagesWidth: list.clientWidth,
      scrolls: list.scrollHeight > list.clientHeight,
      fromBottom: list.scrollHeight - list.scrollTop - list.clientHeight,
      scrollTop: list.scrollTop,
    };
  })()`);
}

/**
 * Card controls (buttons, fields) that stick out of their card or the window sideways, i.e. are cut off:
 * cards hide their overflow, so a squeezed row of buttons would otherwise go unnoticed. Texts of each.
 */
export async function clippedControls(p: Page): Promise<string[]> {
  return p.evaluate(`(() => {
    const out = [];
    for (const el of document.querySelectorAll("#messages .card button, #messages .card input, #messages .card textarea")) {
      const r = el.getBoundingClientRect();
      const card = el.closest(".card").getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < card.left - 1 || r.right > card.right + 1 || r.left < 0 || r.right > window.innerWidth) {
        out.push(el.textContent || el.getAttribute("aria-label") || el.tagName);
      }
    }
    return out;
  })()`);
}
