// Feishu's confirmation pop-up for a card button with `confirm` ({ title, text }): 确定 goes on, 取消 or
// Esc sends nothing. Uses the page's <dialog id="confirm">.
const $ = (sel) => document.querySelector(sel);

export function askConfirm(confirm) {
  const dialog = $("#confirm");
  $("#confirm-title").textContent = confirm?.title?.content ?? "确认操作？";
  $("#confirm-text").textContent = confirm?.text?.content ?? "";
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}
