import { z } from "zod";
import { PLATFORMS, type Platform } from "./core/types.ts";

/**
 * All configuration is read once, here, from an env-like object (tests pass their own; nothing else reads
 * process.env). A bad value stops start-up with one line naming the variable, in Chinese and English.
 */

const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const url = z
  .string()
  .trim()
  .url({ protocol: /^https?$/, error: "应为 http(s) 地址 / must be an http(s) URL" })
  .transform((v) => v.replace(/\/+$/, ""));

/** `PORT=` in a .env file means "not set", not "any free port". */
const blankAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const envSchema = z.object({
  PORT: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  DATABASE_PATH: z.string().trim().min(1).default("./data/bot.db"),
  BOT_TIMEZONE: z
    .string()
    .trim()
    .default("Asia/Shanghai")
    .refine((tz) => isValidTimeZone(tz), "不是有效的时区 / not a valid IANA time zone"),
  BOT_ADMINS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            new RegExp(`^(${PLATFORMS.join("|")}):\\S+$`),
            "格式应为 platform:userId / expected platform:userId",
          ),
      ),
    ),
  FEISHU_APP_ID: optional,
  FEISHU_APP_SECRET: optional,
  FEISHU_ENCRYPT_KEY: optional,
  FEISHU_VERIFICATION_TOKEN: optional,
  FEISHU_DOMAIN: url.default("https://open.feishu.cn"),
  FEISHU_MODE: z.enum(["webhook", "ws"]).default("webhook"),
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional,
  WECOM_SECRET: optional,
  WECOM_TOKEN: optional,
  WECOM_ENCODING_AES_KEY: optional,
  WECOM_API_BASE: url.default("https://qyapi.weixin.qq.com"),
  WECOM_BOT_ID: optional,
  WECOM_BOT_SECRET: optional,
  WECOM_BOT_WS_URL: z
    .string()
    .trim()
    .url({ protocol: /^wss?$/, error: "应为 ws(s) 地址 / must be a ws(s) URL" })
    .default("wss://openws.work.weixin.qq.com"),
  WECHATY_PUPPET: optional,
  WECHATY_PUPPET_SERVICE_TOKEN: optional,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  encryptKey: string | undefined;
  verificationToken: string | undefined;
  domain: string;
  mode: "webhook" | "ws";
}

/** WeCom self-built app (企业自建应用) and its callback secrets; WECOM_API_BASE serves app API and robots. */
export interface WecomConfig {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
  apiBase: string;
}

/** WeCom 智能机器人 in API mode over its long connection (no public URL needed). */
export interface WecomBotConfig {
  botId: string;
  secret: string;
  wsUrl: string;
}

/** The optional WeChat text channel (Wechaty); the puppet package is loaded only when this is set. */
export interface WechatyConfig {
  puppet: string;
  puppetToken: string | undefined;
}

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  timezone: string;
  admins: readonly { platform: Platform; userId: string }[];
  feishu: FeishuConfig | undefined;
  /** True when no platform credential is set: `npm start` then runs the sandbox (docs/sandbox.md). */
  sandbox: boolean;
  wecom: WecomConfig | undefined;
  wecomBot: WecomBotConfig | undefined;
  wechaty: WechatyConfig | undefined;
  logLevel: string;
}

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("zh-CN", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function fail(variable: string, zh: string, en: string): never {
  throw new ConfigError(`配置错误 ${variable}：${zh} / Config error ${variable}: ${en}`);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "?");
    fail(variable, `取值无效（${issue?.message ?? ""}）`, `invalid value (${issue?.message ?? ""})`);
  }
  const e = parsed.data;

  let feishu: FeishuConfig | undefined;
  if (e.FEISHU_APP_ID || e.FEISHU_APP_SECRET) {
    if (!e.FEISHU_APP_ID)
      fail(
        "FEISHU_APP_ID",
        "设置了 FEISHU_APP_SECRET 但缺少应用 ID",
        "missing while FEISHU_APP_SECRET is set",
      );
    if (!e.FEISHU_APP_SECRET)
      fail("FEISHU_APP_SECRET", "设置了 FEISHU_APP_ID 但缺少应用密钥", "missing while FEISHU_APP_ID is set");
    // Fail closed: without either secret nobody can tell a forged callback from a real one.
    if (!e.FEISHU_ENCRYPT_KEY && !e.FEISHU_VERIFICATION_TOKEN) {
      fail(
        "FEISHU_ENCRYPT_KEY",
        "启用飞书时必须设置 FEISHU_ENCRYPT_KEY 或 FEISHU_VERIFICATION_TOKEN（拒绝在无校验的情况下接收回调）",
        "FEISHU_ENCRYPT_KEY or FEISHU_VERIFICATION_TOKEN is required when Feishu is enabled",
      );
    }
    // The SDK's long connection silently does nothing for an app id of another shape: say so now.
    if (e.FEISHU_MODE === "ws" && !/^cli_[0-9a-fA-F]{16}$/.test(e.FEISHU_APP_ID)) {
      fail(
        "FEISHU_APP_ID",
        "格式不对，应为 cli_ 加 16 位十六进制字符（飞书开发者后台「凭证与基础信息」中的 App ID）",
        "must look like cli_ followed by 16 hex digits (the App ID in the developer console)",
      );
    }
    feishu = {
      appId: e.FEISHU_APP_ID,
      appSecret: e.FEISHU_APP_SECRET,
      encryptKey: e.FEISHU_ENCRYPT_KEY,
      verificationToken: e.FEISHU_VERIFICATION_TOKEN,
      domain: e.FEISHU_DOMAIN,
      mode: e.FEISHU_MODE,
    };
  }

  const wecomVars = [
    "WECOM_CORP_ID",
    "WECOM_AGENT_ID",
    "WECOM_SECRET",
    "WECOM_TOKEN",
    "WECOM_ENCODING_AES_KEY",
  ] as const;
  const wecomSet = wecomVars.some((k) => e[k]);
  const wecomMissing = wecomVars.find((k) => !e[k]);
  if (wecomSet && wecomMissing) {
    fail(
      wecomMissing,
      "启用企业微信时必须同时设置 WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET、WECOM_TOKEN、WECOM_ENCODING_AES_KEY",
      "all five WECOM_* variables are required when WeCom is enabled",
    );
  }
  let wecom: WecomConfig | undefined;
  if (wecomSet) {
    const agentId = Number(e.WECOM_AGENT_ID);
    if (!/^\d{1,10}$/.test(e.WECOM_AGENT_ID ?? "") || !Number.isSafeInteger(agentId)) {
      fail("WECOM_AGENT_ID", "应为数字（应用的 AgentId）", "must be a number (the app's AgentId)");
    }
    // EncodingAESKey is 43 characters of base64 that decode (with "=") to the 32-byte AES key.
    const aes = e.WECOM_ENCODING_AES_KEY ?? "";
    if (!/^[A-Za-z0-9+/]{43}$/.test(aes) || Buffer.from(`${aes}=`, "base64").length !== 32) {
      fail(
        "WECOM_ENCODING_AES_KEY",
        "应为 43 位的 EncodingAESKey",
        "must be the 43-character EncodingAESKey",
      );
    }
    wecom = {
      corpId: e.WECOM_CORP_ID as string,
      agentId,
      secret: e.WECOM_SECRET as string,
      token: e.WECOM_TOKEN as string,
      encodingAesKey: aes,
      apiBase: e.WECOM_API_BASE,
    };
  }
  let wecomBot: WecomBotConfig | undefined;
  if (e.WECOM_BOT_ID || e.WECOM_BOT_SECRET) {
    if (!e.WECOM_BOT_ID)
      fail(
        "WECOM_BOT_ID",
        "设置了 WECOM_BOT_SECRET 但缺少机器人 ID（BotID）",
        "missing while WECOM_BOT_SECRET is set",
      );
    if (!e.WECOM_BOT_SECRET)
      fail(
        "WECOM_BOT_SECRET",
        "设置了 WECOM_BOT_ID 但缺少机器人 Secret",
        "missing while WECOM_BOT_ID is set",
      );
    wecomBot = { botId: e.WECOM_BOT_ID, secret: e.WECOM_BOT_SECRET, wsUrl: e.WECOM_BOT_WS_URL };
  }
  if (e.WECHATY_PUPPET_SERVICE_TOKEN && !e.WECHATY_PUPPET) {
    fail(
      "WECHATY_PUPPET",
      "设置了 WECHATY_PUPPET_SERVICE_TOKEN 但缺少 WECHATY_PUPPET",
      "missing while WECHATY_PUPPET_SERVICE_TOKEN is set",
    );
  }
  const wechaty: WechatyConfig | undefined = e.WECHATY_PUPPET
    ? { puppet: e.WECHATY_PUPPET, puppetToken: e.WECHATY_PUPPET_SERVICE_TOKEN }
    : undefined;
  const anyCredential = Boolean(feishu || wecomSet || wecomBot || e.WECHATY_PUPPET);

  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    timezone: e.BOT_TIMEZONE,
    admins: e.BOT_ADMINS.map((s) => {
      const i = s.indexOf(":");
      return { platform: s.slice(0, i) as Platform, userId: s.slice(i + 1) };
    }),
    feishu,
    sandbox: !anyCredential,
    wecom,
    wecomBot,
    wechaty,
    logLevel: e.LOG_LEVEL,
  };
  Object.freeze(config.admins);
  if (config.feishu) Object.freeze(config.feishu);
  if (config.wecom) Object.freeze(config.wecom);
  if (config.wechaty) Object.freeze(config.wechaty);
  if (config.wecomBot) Object.freeze(config.wecomBot);
  return Object.freeze(config);
}

/** For logs: the config with every secret replaced. */
export function redactedConfig(c: Config): Record<string, unknown> {
  return {
    ...c,
    feishu: c.feishu && {
      appId: c.feishu.appId,
      domain: c.feishu.domain,
      mode: c.feishu.mode,
      appSecret: "***",
    },
    wecom: c.wecom && {
      corpId: c.wecom.corpId,
      agentId: c.wecom.agentId,
      apiBase: c.wecom.apiBase,
      secret: "***",
    },
    wecomBot: c.wecomBot && { botId: c.wecomBot.botId, wsUrl: c.wecomBot.wsUrl, secret: "***" },
    wechaty: c.wechaty && {
      puppet: c.wechaty.puppet,
      puppetToken: c.wechaty.puppetToken ? "***" : undefined,
    },
  };
}
