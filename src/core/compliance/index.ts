import type { Feature } from "../feature.ts";
import { checkCommand } from "./command.ts";

/**
 * The 广告法 pre-check as a command of its own (/check, /预审). The review chain runs the same check on
 * every submission; this lets a writer try a draft first.
 */
export const compliance: Feature = {
  name: "compliance",
  apply(r) {
    r.command(checkCommand);
  },
};
