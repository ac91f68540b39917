// Unread marks: how many messages each chat has that this person has not looked at. Everything present
// when the page opens counts as read; what arrives later in a chat not on screen is unread.
export class Unread {
  #counts = {};
  #seen = new Map();
  #api;

  constructor(api) {
    this.#api = api;
  }

  /** Fetches every chat's message count (one small request per change). */
  async refresh() {
    this.#counts = await this.#api("/sandbox/api/counts");
  }

  /** Marks everything there now as read, for every person's chats. */
  baseline(people) {
    for (const p of people) for (const c of p.chats ?? []) this.seen(p.key, c.chatId);
  }

  /** The person is looking at the chat; `count` is what it shows (fresher than the last refresh). */
  seen(person, chat, count = this.#counts[chat] ?? 0) {
    this.#seen.set(`${person}|${chat}`, count);
  }

  count(person, chat) {
    const seen = this.#seen.get(`${person}|${chat}`) ?? 0;
    return Math.max(0, (this.#counts[chat] ?? 0) - seen);
  }

  total(person, chats) {
    return chats.reduce((n, c) => n + this.count(person, c.chatId), 0);
  }
}
