/**
 * A readable name for a session's User-Agent ("Chrome 126", "Windows 10/11"): enough to recognise one's
 * own devices. The raw string is still shown on hover.
 */
export function describeUserAgent(ua: string | null | undefined): { browser: string | null; os: string | null } {
  if (!ua) return { browser: null, os: null };
  const version = (re: RegExp) => ua.match(re)?.[1]?.split(".")[0];
  let browser: string | null = null;
  // Order matters: Edge, Opera and the Chinese browsers also say "Chrome", Chrome also says "Safari".
  const browsers: [string, RegExp][] = [
    ["WeChat", /MicroMessenger\/([\d.]+)/],
    ["DingTalk", /DingTalk\/([\d.]+)/],
    ["Edge", /Edg(?:e|A|iOS)?\/([\d.]+)/],
    ["Opera", /OPR\/([\d.]+)/],
    ["360", /QIHU 360\w*\/?([\d.]*)/],
    ["QQ Browser", /QQBrowser\/([\d.]+)/],
    ["UC Browser", /UCBrowser\/([\d.]+)/],
    ["Firefox", /(?:Firefox|FxiOS)\/([\d.]+)/],
    ["Chrome", /(?:Chrome|CriOS)\/([\d.]+)/],
    ["Safari", /Version\/([\d.]+).*Safari/],
  ];
  for (const [name, re] of browsers) {
    if (re.test(ua)) {
      const v = version(re);
      browser = v ? `${name} ${v}` : name;
      break;
    }
  }
  if (!browser && /HeadlessChrome/.test(ua)) browser = "Chrome (headless)";
  if (!browser) {
    const tool = ua.match(/^([\w.-]+)\/([\d.]+)/);
    if (tool) browser = `${tool[1]} ${tool[2].split(".")[0]}`;
  }
  let os: string | null = null;
  if (/Windows NT 10/.test(ua)) os = "Windows 10/11";
  else if (/Windows NT 6\.[123]/.test(ua)) os = "Windows 7/8";
  else if (/Windows/.test(ua)) os = "Windows";
  else if (/iPhone|iPad|iPod/.test(ua)) os = /iPad/.test(ua) ? "iPadOS" : "iOS";
  else if (/HarmonyOS|OpenHarmony/.test(ua)) os = "HarmonyOS";
  else if (/Android/.test(ua)) os = "Android";
  else if (/Mac OS X|Macintosh/.test(ua)) os = "macOS";
  else if (/CrOS/.test(ua)) os = "ChromeOS";
  else if (/Linux/.test(ua)) os = "Linux";
  return { browser, os };
}
