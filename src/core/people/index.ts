import type { Feature } from "../feature.ts";
import { linkCommand } from "./link.ts";

/** One person across platforms: /link joins a Feishu, WeCom and WeChat identity into one person. */
export const people: Feature = {
  name: "people",
  apply(r) {
    r.command(linkCommand);
  },
};
