import type { Feature } from "../feature.ts";
import { bindCommand, storeCommand } from "./groups.ts";
import { helpCommand } from "./help.ts";
import { outboxCommand } from "./outbox.ts";
import { policyCommand } from "./policy.ts";
import { roleCommand } from "./roles.ts";
import { whoCommand } from "./who.ts";

/** Running the bot: /help, roles, binding groups and stores, the policy's values and the outbox. */
export const admin: Feature = {
  name: "admin",
  apply(r) {
    r.command(
      helpCommand(() => r.commandList()),
      roleCommand,
      bindCommand,
      storeCommand,
      policyCommand,
      outboxCommand,
      whoCommand,
    );
  },
};
