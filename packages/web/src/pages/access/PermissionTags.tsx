import { Descriptions, Space, Tag, Tooltip, Typography } from "antd";
import { useMemo } from "react";
import type { PermissionInfo } from "../../api/types";
import { useLang, useT } from "../../i18n/core";
import { accessText } from "./i18n";
import { moduleName, moduleOfKey } from "./permissionUtil";

interface TagInfo {
  key: string;
  label: string;
  sensitive: boolean;
  kind: "declared" | "pattern" | "undeclared";
}

/** One permission key as a tag: its label in the current language, the key in small print, sensitive ones in orange. */
export function PermissionTag({ info, testId }: { info: TagInfo; testId?: string }) {
  const t = useT(accessText);
  const tag = (
    <Tag
      color={info.kind === "pattern" ? "purple" : info.sensitive ? "orange" : undefined}
      variant={info.kind === "undeclared" ? "outlined" : undefined}
      style={info.kind === "undeclared" ? { borderStyle: "dashed" } : undefined}
      data-testid={testId}
    >
      {info.label}
      {info.label !== info.key && (
        <Typography.Text type="secondary" style={{ fontSize: 11, marginInlineStart: 4 }}>
          {info.key}
        </Typography.Text>
      )}
      {info.sensitive && <span style={{ marginInlineStart: 4 }}>· {t("sensitive")}</span>}
    </Tag>
  );
  if (info.kind === "undeclared") return <Tooltip title={t("undeclaredHint")}>{tag}</Tooltip>;
  if (info.sensitive) return <Tooltip title={t("sensitiveHint")}>{tag}</Tooltip>;
  return tag;
}

export function useTagInfo(catalog: PermissionInfo[]) {
  const t = useT(accessText);
  const { lang } = useLang();
  const byKey = useMemo(() => new Map(catalog.map((p) => [p.key, p])), [catalog]);
  return (key: string): TagInfo => {
    const p = byKey.get(key);
    if (p) return { key, label: p.label[lang], sensitive: p.sensitive, kind: "declared" };
    if (key.endsWith(".*")) return { key, label: t("wildcard", { module: moduleName(moduleOfKey(catalog, key), lang) }), sensitive: false, kind: "pattern" };
    return { key, label: key, sensitive: false, kind: "undeclared" };
  };
}

/**
 * A set of permission keys, read-only. `grouped`: a table with one row per module (role details);
 * otherwise a wrapped line of tags (rule sides in tables).
 */
export function PermissionTags({
  keys,
  catalog,
  grouped = true,
  testIdPrefix,
}: {
  keys: string[];
  catalog: PermissionInfo[];
  grouped?: boolean;
  testIdPrefix?: string;
}) {
  const t = useT(accessText);
  const { lang } = useLang();
  const info = useTagInfo(catalog);
  if (keys.includes("*")) return <Tag color="red">{t("allPermissions")}</Tag>;
  if (keys.length === 0) return <Typography.Text type="secondary">{t("noPermissions")}</Typography.Text>;
  const tid = (k: string) => (testIdPrefix ? `${testIdPrefix}-${k}` : undefined);
  if (!grouped) {
    return (
      <Space size={[4, 4]} wrap>
        {keys.map((k) => (
          <PermissionTag key={k} info={info(k)} testId={tid(k)} />
        ))}
      </Space>
    );
  }
  const groups = new Map<string, string[]>();
  for (const k of keys) {
    const m = moduleOfKey(catalog, k);
    groups.set(m, [...(groups.get(m) ?? []), k]);
  }
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      styles={{ label: { width: 140 } }}
      items={[...groups.entries()].map(([module, ks]) => ({
        key: module,
        label: moduleName(module, lang),
        children: (
          <Space size={[4, 4]} wrap>
            {ks.map((k) => (
              <PermissionTag key={k} info={info(k)} testId={tid(k)} />
            ))}
          </Space>
        ),
      }))}
    />
  );
}
