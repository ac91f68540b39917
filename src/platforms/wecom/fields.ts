/**
 * The fields of a decrypted WeCom callback the bot keys on, checked for WeCom's types before anything
 * reads them: WeCom's XML carries only text, so "the wrong type" is text that cannot be what WeCom sends
 * (a CreateTime or MsgId that is not a number, a userid with markup in it). Such a callback is answered
 * 400 and changes nothing: its de-dup key would otherwise be made of that text.
 */
import { z } from "zod";

const digits = (max: number) => z.string().regex(new RegExp(`^\\d{1,${max}}$`));
/** Empty elements (`<MsgId/>`) read as "": the same as absent. */
const optional = <T extends z.ZodType>(t: T) => z.union([t, z.literal("")]).optional();

export const wecomFields = z.looseObject({
  // userids are letters, digits and _-.@ (at most 64); markup or spaces are never a userid.
  FromUserName: z.string().regex(/^[^\s<>"'&]{1,64}$/),
  CreateTime: digits(12),
  MsgType: z.string().regex(/^[a-z_]{1,32}$/),
  MsgId: optional(digits(24)),
  AgentID: optional(digits(10)),
  Event: optional(z.string().regex(/^[A-Za-z_]{1,64}$/)),
});

/** undefined when the fields have WeCom's types; else which field is wrong. */
export function wrongField(fields: Record<string, string>): string | undefined {
  const r = wecomFields.safeParse(fields);
  return r.success ? undefined : String(r.error.issues[0]?.path[0] ?? "?");
}
