import { z } from "zod";

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
          .regex(/^(feishu|wecom|wechat):\S+$/, "格式应为 platform:userId / expected platform:userId"),
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
  WECHATY_PUPPET: optional,
  WECHATY_PUPPET_SERVICE_TOKEN: optional,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Platform = "feishu" | "wecom" | "wechat";

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  encryptKey: string | undefined;
  verificationToken: string | undefined;
  domain: string;
  mode: "webhook" | "ws";
}

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  timezone: string;
  admins: readonly { platform: Platform; userId: string }[];
  feishu: FeishuConfig | undefined;
  /** True when no platform credential is set: `npm start` then runs the sandbox (SPEC §11). */
  sandbox: boolean;
  /** WeCom credentials were given (the channel itself arrives with the WeCom issue). */
  wecomConfigured: boolean;
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
  const anyCredential = Boolean(feishu || wecomSet || e.WECHATY_PUPPET);

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
    wecomConfigured: Boolean(wecomSet),
    logLevel: e.LOG_LEVEL,
  };
  Object.freeze(config.admins);
  if (config.feishu) Object.freeze(config.feishu);
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
  };
}
