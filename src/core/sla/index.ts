import type { Feature } from "../feature.ts";
import { liveAndAccountBreaches } from "./breaches.ts";
import { slaCommands } from "./commands.ts";
import { type DigestParts, registerDigest } from "./digest.ts";
import { registerLiveAccountTimers } from "./live-accounts.ts";

/**
 * Deadlines across the policy: the daily SLA digest and /sla (every feature's breaches and sections, read
 * when sent), /live with its preview deadline, and the account password rotation.
 */
export const sla: Feature = {
  name: "sla",
  apply(r, services) {
    const parts: DigestParts = { breaches: r.breachProviders, sections: r.digestSections };
    r.breaches(liveAndAccountBreaches);
    registerLiveAccountTimers(services);
    r.command(...slaCommands(parts));
    registerDigest(services, parts);
  },
};
