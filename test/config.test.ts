import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactedConfig } from "../src/config.ts";

/** A complete, valid Feishu set-up; tests take away or change one variable at a time. */
const FEISHU = {
  FEISHU_APP_ID: "cli_app",
  FEISHU_APP_SECRET: "app-secret-DO-NOT-LOG",
  FEISHU_ENCRYPT_KEY: "encrypt-key-DO-NOT-LOG",
  FEISHU_VERIFICATION_TOKEN: "verification-token-DO-NOT-LOG",
};

/** Runs loadConfig, expecting it to fail; returns the ConfigError for assertions on its message. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

/** The message is one line, names the variable, and says what is wrong in Chinese and in English. */
function expectNames(err: ConfigError, variable: string): void {
  expect(err.message).toContain(variable);
  expect(err.message).not.toContain("\n");
  expect(err.message).toMatch(/[\u4e00-\u9fff]/);
  expect(err.message).toMatch(/Config error/);
}

describe("loadConfig: defaults (docs/admin-guide.md)", () => {
  it("an empty environment gives the documented defaults and sandbox mode", () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe("0.0.0.0");
    expect(c.databasePath).toBe("./data/bot.db");
    expect(c.timezone).toBe("Asia/Shanghai");
    expect(c.admins).toEqual([]);
    expect(c.logLevel).toBe("info");
    expect(c.feishu).toBeUndefined();
    expect(c.sandbox).toBe(true);
  });

  it("Feishu credentials enable the Feishu channel with the default domain and webhook mode, not sandbox", () => {
    const c = loadConfig(FEISHU);
    expect(c.sandbox).toBe(false);
    expect(c.feishu).toMatchObject({
      appId: "cli_app",
      appSecret: FEISHU.FEISHU_APP_SECRET,
      encryptKey: FEISHU.FEISHU_ENCRYPT_KEY,
      verificationToken: FEISHU.FEISHU_VERIFICATION_TOKEN,
      domain: "https://open.feishu.cn",
      mode: "webhook",
    });
  });

  it("either callback secret alone is enough to enable Feishu", () => {
    const { FEISHU_ENCRYPT_KEY: _k, ...tokenOnly } = FEISHU;
    const { FEISHU_VERIFICATION_TOKEN: _t, ...keyOnly } = FEISHU;
    expect(loadConfig(tokenOnly).feishu?.verificationToken).toBe(FEISHU.FEISHU_VERIFICATION_TOKEN);
    expect(loadConfig(keyOnly).feishu?.encryptKey).toBe(FEISHU.FEISHU_ENCRYPT_KEY);
  });

  it("BOT_ADMINS is a comma list of platform:userId, spaces allowed", () => {
    const c = loadConfig({ BOT_ADMINS: "feishu:ou_abc, wecom:zhangsan ,wechat:wxid_1" });
    expect(c.admins).toEqual([
      { platform: "feishu", userId: "ou_abc" },
      { platform: "wecom", userId: "zhangsan" },
      { platform: "wechat", userId: "wxid_1" },
    ]);
  });

  it("FEISHU_DOMAIN loses its trailing slash; FEISHU_MODE=ws is accepted", () => {
    const c = loadConfig({
      ...FEISHU,
      FEISHU_APP_ID: "cli_a1b2c3d4e5f60718", // the long connection needs a real-shaped app id
      FEISHU_DOMAIN: "https://open.larksuite.com/",
      FEISHU_MODE: "ws",
    });
    expect(c.feishu?.domain).toBe("https://open.larksuite.com");
    expect(c.feishu?.mode).toBe("ws");
  });

  it("PORT=0 (any free port, used by tests) and another time zone are accepted", () => {
    const c = loadConfig({ PORT: "0", BOT_TIMEZONE: "Asia/Tokyo" });
    expect(c.port).toBe(0);
    expect(c.timezone).toBe("Asia/Tokyo");
  });
});

describe("loadConfig: a missing or malformed variable stops start-up naming it", () => {
  it("Feishu enabled without FEISHU_ENCRYPT_KEY and without FEISHU_VERIFICATION_TOKEN fails closed", () => {
    const err = configError({ FEISHU_APP_ID: "cli_app", FEISHU_APP_SECRET: "s" });
    expectNames(err, "FEISHU_ENCRYPT_KEY");
    expect(err.message).toContain("启用飞书时必须设置");
    expect(err.message).toContain("required when Feishu is enabled");
  });

  it("an app id without a secret names FEISHU_APP_SECRET", () => {
    expectNames(configError({ FEISHU_APP_ID: "cli_app", FEISHU_ENCRYPT_KEY: "k" }), "FEISHU_APP_SECRET");
  });

  it("a secret without an app id names FEISHU_APP_ID", () => {
    expectNames(configError({ FEISHU_APP_SECRET: "s", FEISHU_ENCRYPT_KEY: "k" }), "FEISHU_APP_ID");
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "-1"],
    ["PORT", "80.5"],
    ["BOT_TIMEZONE", "Mars/Olympus_Mons"],
    ["BOT_ADMINS", "ou_abc"],
    ["BOT_ADMINS", "feishu:ou_abc,dingtalk:someone"],
    ["FEISHU_MODE", "polling"],
    ["FEISHU_DOMAIN", "not a url"],
    ["LOG_LEVEL", "loud"],
  ])("%s=%s → ConfigError naming %s", (variable, value) => {
    expectNames(configError({ ...FEISHU, [variable]: value }), variable);
  });

  it("an empty PORT never silently means 'any free port': it falls back to 3000 or names PORT", () => {
    // `PORT=` in a .env file reaches us as "". Every other optional variable treats "" as unset.
    let port: number | undefined;
    try {
      port = loadConfig({ PORT: "" }).port;
    } catch (err) {
      expectNames(err as ConfigError, "PORT");
      return;
    }
    expect(port).toBe(3000);
  });

  it("FEISHU_DOMAIN must be an http(s) URL", () => {
    expectNames(configError({ ...FEISHU, FEISHU_DOMAIN: "ftp://open.feishu.cn" }), "FEISHU_DOMAIN");
  });

  it("the error never echoes a secret", () => {
    const err = configError({ ...FEISHU, FEISHU_MODE: "polling" });
    for (const secret of Object.values(FEISHU).slice(1)) expect(err.message).not.toContain(secret);
  });
});

describe("loadConfig: the result", () => {
  it("sandbox is true without any platform credential and false with WeCom or a Wechaty puppet", () => {
    expect(loadConfig({ BOT_ADMINS: "feishu:ou_abc", PORT: "8080" }).sandbox).toBe(true);
    const wecom = {
      WECOM_CORP_ID: "ww1",
      WECOM_AGENT_ID: "1000002",
      WECOM_SECRET: "s",
      WECOM_TOKEN: "t",
      WECOM_ENCODING_AES_KEY: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    };
    expect(loadConfig(wecom).sandbox).toBe(false);
    expect(loadConfig({ WECHATY_PUPPET: "wechaty-puppet-service" }).sandbox).toBe(false);
  });

  it("a partial WeCom set-up stops start-up naming the first missing variable", () => {
    expect(() => loadConfig({ WECOM_CORP_ID: "ww1", WECOM_AGENT_ID: "1000002", WECOM_SECRET: "s" })).toThrow(
      /WECOM_TOKEN.*WeCom/,
    );
  });

  it("blank credential variables count as unset (sandbox, no Feishu)", () => {
    const c = loadConfig({ FEISHU_APP_ID: "", FEISHU_APP_SECRET: "  ", FEISHU_ENCRYPT_KEY: "" });
    expect(c.feishu).toBeUndefined();
    expect(c.sandbox).toBe(true);
  });

  it("is frozen", () => {
    const c = loadConfig(FEISHU);
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it("its nested parts (admins, feishu) are frozen too", () => {
    const c = loadConfig({ ...FEISHU, BOT_ADMINS: "feishu:ou_abc" });
    expect(Object.isFrozen(c.admins)).toBe(true);
    expect(Object.isFrozen(c.feishu)).toBe(true);
  });

  it("redactedConfig keeps what helps debugging and never contains a secret", () => {
    const c = loadConfig({ ...FEISHU, BOT_ADMINS: "feishu:ou_abc" });
    const shown = JSON.stringify(redactedConfig(c));
    expect(shown).toContain("cli_app");
    expect(shown).toContain("https://open.feishu.cn");
    expect(shown).toContain("ou_abc");
    for (const secret of Object.values(FEISHU).slice(1)) expect(shown).not.toContain(secret);
  });
});

describe("loadConfig: WeCom and Wechaty", () => {
  const WECOM = {
    WECOM_CORP_ID: "ww1",
    WECOM_AGENT_ID: "1000002",
    WECOM_SECRET: "wecom-secret-value",
    WECOM_TOKEN: "wecom-token-value",
    WECOM_ENCODING_AES_KEY: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  };

  it("gives the WeCom settings, with the API base defaulting to qyapi.weixin.qq.com", () => {
    const c = loadConfig({ ...WECOM, WECOM_API_BASE: "http://127.0.0.1:9999/" });
    expect(c.wecom).toEqual({
      corpId: "ww1",
      agentId: 1000002,
      secret: "wecom-secret-value",
      token: "wecom-token-value",
      encodingAesKey: WECOM.WECOM_ENCODING_AES_KEY,
      apiBase: "http://127.0.0.1:9999",
    });
    expect(Object.isFrozen(c.wecom)).toBe(true);
    expect(loadConfig(WECOM).wecom?.apiBase).toBe("https://qyapi.weixin.qq.com");
  });

  it("refuses a non-numeric agent id and an EncodingAESKey that is not 43 base64 characters", () => {
    expect(() => loadConfig({ ...WECOM, WECOM_AGENT_ID: "abc" })).toThrow(/WECOM_AGENT_ID.*AgentId/);
    expect(() => loadConfig({ ...WECOM, WECOM_ENCODING_AES_KEY: "short" })).toThrow(/WECOM_ENCODING_AES_KEY/);
    expect(() =>
      loadConfig({ ...WECOM, WECOM_ENCODING_AES_KEY: `${WECOM.WECOM_ENCODING_AES_KEY}=` }),
    ).toThrow(/43/);
  });

  it("turns the WeChat channel on with a puppet, and refuses a token without a puppet", () => {
    expect(loadConfig({ WECHATY_PUPPET: "wechaty-puppet-wechat4u" }).wechaty).toEqual({
      puppet: "wechaty-puppet-wechat4u",
      puppetToken: undefined,
    });
    expect(() => loadConfig({ WECHATY_PUPPET_SERVICE_TOKEN: "tok" })).toThrow(/WECHATY_PUPPET/);
    expect(loadConfig({}).wechaty).toBeUndefined();
  });

  it("redactedConfig hides the WeCom secret, token and AES key, and the puppet token", () => {
    const c = loadConfig({
      ...WECOM,
      WECHATY_PUPPET: "wechaty-puppet-service",
      WECHATY_PUPPET_SERVICE_TOKEN: "puppet-tok",
    });
    const shown = JSON.stringify(redactedConfig(c));
    expect(shown).toContain("ww1");
    for (const secret of [
      "wecom-secret-value",
      "wecom-token-value",
      WECOM.WECOM_ENCODING_AES_KEY,
      "puppet-tok",
    ]) {
      expect(shown).not.toContain(secret);
    }
  });
});
