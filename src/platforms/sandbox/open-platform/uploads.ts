/**
 * `POST /open-apis/im/v1/images` (image_type, image; ≤ 10 MB) and `POST /open-apis/im/v1/files`
 * (file_type, file_name, file; ≤ 30 MB), both multipart/form-data, never empty. The bytes are kept in
 * state so tests can read them back.
 */
import { appRateLimited } from "./messages.ts";
import { CODE, type FakeCtx, type FakeReply, type FakeRequest, fail, ok } from "./types.ts";

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const MAX_FILE_BYTES = 30 * 1024 * 1024;
const IMAGE_TYPES = new Set(["message", "avatar"]);
const FILE_TYPES = new Set(["opus", "mp4", "pdf", "doc", "xls", "ppt", "stream"]);

export interface Part {
  data: Buffer;
  filename?: string;
}

/**
 * Minimal multipart/form-data parser over raw bytes. Hand-written because `Response.formData()`
 * decodes parts without a filename as UTF-8 text, which would corrupt binary uploads.
 */
export function parseMultipart(body: Buffer, contentType: string | undefined): Map<string, Part> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return undefined;
  const delimiter = Buffer.from(`--${b.trim()}`);
  const parts = new Map<string, Part>();
  let pos = body.indexOf(delimiter);
  if (pos < 0) return undefined;
  while (true) {
    pos += delimiter.length;
    // "--" after a delimiter ends the body.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) return undefined;
    const head = body.subarray(pos, headerEnd).toString("utf8");
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next < 0) return undefined;
    // The part's data ends with the CRLF that precedes the next delimiter.
    const data = body.subarray(headerEnd + 4, next - 2);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (name !== undefined) parts.set(name, filename === undefined ? { data } : { data, filename });
    pos = next;
  }
  return parts;
}

function form(req: FakeRequest): Map<string, Part> | FakeReply {
  const ct = req.headers["content-type"];
  if (!ct?.toLowerCase().startsWith("multipart/form-data")) {
    return fail(400, CODE.uploadParamInvalid, "Invalid request param: multipart/form-data expected");
  }
  return (
    parseMultipart(req.body, ct) ??
    fail(400, CODE.uploadParamInvalid, "Invalid request param: bad multipart body")
  );
}

function sizeProblem(bytes: Buffer, max: number): FakeReply | undefined {
  if (bytes.length === 0) return fail(400, CODE.uploadEmpty, "File's size can't be 0.");
  if (bytes.length > max) return fail(400, CODE.uploadTooLarge, "The file size exceed the max value.");
  return undefined;
}

export function uploadImage(req: FakeRequest, ctx: FakeCtx): FakeReply {
  const wait = ctx.limits.takeApp("im.image.create", ctx.now);
  if (wait > 0) return appRateLimited(wait);
  const parts = form(req);
  if (!(parts instanceof Map)) return parts;
  const imageType = parts.get("image_type")?.data.toString("utf8") ?? "";
  const image = parts.get("image");
  if (!IMAGE_TYPES.has(imageType) || !image) {
    return fail(400, CODE.uploadParamInvalid, "Invalid request param: image_type and image are required");
  }
  const problem = sizeProblem(image.data, MAX_IMAGE_BYTES);
  if (problem) return problem;
  const key = ctx.state.nextId("img_v3_fake");
  ctx.state.images.set(key, { key, bytes: Buffer.from(image.data), at: ctx.now, imageType });
  return ok({ image_key: key });
}

export function uploadFile(req: FakeRequest, ctx: FakeCtx): FakeReply {
  const wait = ctx.limits.takeApp("im.file.create", ctx.now);
  if (wait > 0) return appRateLimited(wait);
  const parts = form(req);
  if (!(parts instanceof Map)) return parts;
  const fileType = parts.get("file_type")?.data.toString("utf8") ?? "";
  const fileName = parts.get("file_name")?.data.toString("utf8") ?? "";
  const file = parts.get("file");
  if (!FILE_TYPES.has(fileType) || fileName === "" || !file) {
    return fail(
      400,
      CODE.uploadParamInvalid,
      "Invalid request param: file_type, file_name and file are required",
    );
  }
  const problem = sizeProblem(file.data, MAX_FILE_BYTES);
  if (problem) return problem;
  const key = ctx.state.nextId("file_v3_fake");
  ctx.state.files.set(key, { key, bytes: Buffer.from(file.data), at: ctx.now, fileName, fileType });
  return ok({ file_key: key });
}
