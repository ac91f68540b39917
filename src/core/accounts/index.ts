import type { Feature } from "../feature.ts";
import { accountCommand } from "./commands.ts";
import { registerAccountSecurity } from "./security.ts";

/** 账号台账与账号安全 (《制度》第七条(三), 第九条(四)). */
export const accounts: Feature = {
  name: "accounts",
  apply(r, services) {
    r.command(accountCommand);
    registerAccountSecurity(services);
  },
};
