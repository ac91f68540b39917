import type { Core } from "../core.ts";
import { accountCommand } from "./commands.ts";
import { registerAccountSecurity } from "./security.ts";

/** 账号台账与账号安全 (《制度》第七条(三), 第九条(四)). */
export function registerAccounts(core: Core): void {
  core.commands.add(accountCommand);
  registerAccountSecurity(core);
}
