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
