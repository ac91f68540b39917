/**
 * The types of the Feishu payload fields the bot reads. A signed request is still only as good as its
 * shape: `mentions` as an object or `message_id` as an object made the handler throw (HTTP 500, and
 * Feishu redelivers a 500 for hours). A payload whose fields have the wrong type is answered 400 and
 * changes nothing. Fields may be absent or null (the handlers then ignore the event); when present they
 * must have Feishu's type. Unknown fields are allowed: Feishu adds fields over time.
 */
import { z } from "zod";

const text = z.string().nullish();
const id = z.looseObject({ open_id: text, user_id: text, union_id: text }).nullish();

export const feishuHeader = z.looseObject({ event_id: text, event_type: text, token: text });

export const feishuMessageEvent = z.looseObject({
  sender: z.looseObject({ sender_id: id, sender_type: text }).nullish(),
  message: z
    .looseObject({
      message_id: text,
      chat_id: text,
      chat_type: text,
      message_type: text,
      content: text,
      mentions: z.array(z.looseObject({ key: text, id, name: text })).nullish(),
    })
    .nullish(),
});

export const feishuCardEvent = z.looseObject({
  operator: z.looseObject({ open_id: text }).nullish(),
  token: text,
  action: z
    .looseObject({
      // Button values and form values are read field by field (an edited value is refused there, with a
      // toast): here only that the action is an object.
      value: z.unknown().optional(),
      form_value: z.unknown().optional(),
      name: text,
      tag: text,
    })
    .nullish(),
  context: z.looseObject({ open_message_id: text, open_chat_id: text }).nullish(),
});

/** Thrown by the handlers for a payload of the wrong shape: the webhook answers 400. */
export class InvalidPayload extends Error {
  readonly code = "INVALID_PAYLOAD";
}

/** The event parsed by `schema`, or InvalidPayload naming the first wrong field. */
export function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new InvalidPayload(`${what}.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "wrong type"}`);
}
