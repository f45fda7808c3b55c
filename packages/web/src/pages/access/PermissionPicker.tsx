import { PlusOutlined, SearchOutlined } from "@ant-design/icons";
import { Alert, Button, Checkbox, Collapse, Empty, Input, Space, Switch, Tag, Tooltip, Typography } from "antd";
import { useMemo, useState } from "react";
import type { PermissionInfo } from "../../api/types";
import { useLang, useT } from "../../i18n/core";
import { accessText } from "./i18n";
import { PermissionTag, useTagInfo } from "./PermissionTags";
import { coveredByPattern, moduleName, moduleOfKey, moduleOrder, modulePattern } from "./permissionUtil";

const KEY_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?$/;

/**
 * Picks permission keys, grouped by module, labels in the current language, sensitive ones marked.
 *
 * `mode="role"`: the module shortcut ticks every key of the module that the signed-in user may give
 * (`grantable`), and the role stores those keys. `mode="rule"` (segregation of duties): the shortcut stores
 * the pattern "module.*", which also covers keys the module declares later; keys of modules that are not
 * installed yet (finance.payment.approve…) can be typed in.
 */
export function PermissionPicker({
  value = [],
  onChange,
  catalog,
  mode,
  grantable = () => true,
  testId,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  catalog: PermissionInfo[];
  mode: "role" | "rule";
  grantable?: (key: string) => boolean;
  testId: string;
}) {
  const t = useT(accessText);
  const { lang } = useLang();
  const info = useTagInfo(catalog);
  const [q, setQ] = useState("");
  const [onlySelected, setOnlySelected] = useState(false);
  const [open, setOpen] = useState<string[] | null>(null);
  const [typed, setTyped] = useState("");
  const selected = useMemo(() => new Set(value), [value]);
  const declared = useMemo(() => new Set(catalog.map((p) => p.key)), [catalog]);
  const modules = useMemo(() => moduleOrder(catalog), [catalog]);
  const patterns = useMemo(() => new Map(modules.map((m) => [m, modulePattern(catalog, m)])), [modules, catalog]);
  const patternSet = useMemo(() => new Set(patterns.values()), [patterns]);
  // Keys that are neither declared nor an installed module's pattern: kept, shown apart.
  const others = value.filter((k) => !declared.has(k) && !patternSet.has(k));
  const covered = (key: string) => mode === "rule" && coveredByPattern(selected, key);
  const query = q.trim().toLowerCase();

  const set = (next: Set<string>) => onChange?.([...next].sort());
  const toggle = (key: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(key);
    else next.delete(key);
    set(next);
  };

  const groups = modules
    .map((m) => {
      const perms = catalog
        .filter((p) => p.module === m)
        .filter((p) => !query || p.key.toLowerCase().includes(query) || p.label[lang].toLowerCase().includes(query))
        .filter((p) => !onlySelected || selected.has(p.key) || covered(p.key));
      return { module: m, perms, all: catalog.filter((p) => p.module === m) };
    })
    .filter((g) => g.perms.length > 0);

  const items = groups.map(({ module, perms, all }) => {
    const pattern = patterns.get(module) ?? `${module}.*`;
    const patternOn = mode === "rule" && (selected.has(pattern) || coveredByPattern(selected, pattern));
    // A broader pattern ("access.*" over access.review.*) is changed on its own module.
    const lockedByBroader = mode === "rule" && !selected.has(pattern) && coveredByPattern(selected, pattern);
    const giveable = all.filter((p) => grantable(p.key));
    const picked = patternOn ? all.length : all.filter((p) => selected.has(p.key) || covered(p.key)).length;
    const allOn = patternOn || (mode === "role" && giveable.length > 0 && giveable.every((p) => selected.has(p.key)));
    const someOn = !allOn && picked > 0;
    const toggleModule = (on: boolean) => {
      const next = new Set(selected);
      if (mode === "rule") {
        // The pattern replaces the module's single keys (it covers them).
        for (const k of [...next]) if (k !== pattern && k.startsWith(pattern.slice(0, -1))) next.delete(k);
        if (on) next.add(pattern);
        else next.delete(pattern);
      } else {
        for (const p of giveable) {
          if (on) next.add(p.key);
          else next.delete(p.key);
        }
      }
      set(next);
    };
    return {
      key: module,
      label: (
        <Space size={6} data-testid={`${testId}-module-${module}`}>
          <Typography.Text strong>{moduleName(module, lang)}</Typography.Text>
          <Tag color={picked > 0 ? "blue" : undefined}>{patternOn ? t("pickerWholeModule") : `${picked}/${all.length}`}</Tag>
        </Space>
      ),
      extra: (
        // biome-ignore lint/a11y/noStaticElementInteractions: only keeps the click from folding the panel
        <span onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
          <Tooltip title={mode === "rule" ? t("pickerPatternHint", { pattern }) : t("pickerAllHint")}>
            <Checkbox
              checked={allOn}
              indeterminate={someOn}
              disabled={(mode === "role" && giveable.length === 0) || lockedByBroader}
              onChange={(e) => toggleModule(e.target.checked)}
              data-testid={`${testId}-all-${module}`}
            >
              {mode === "rule" ? t("pickerPattern") : t("pickerAll")}
            </Checkbox>
          </Tooltip>
        </span>
      ),
      children: (
        <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(300px, 1fr))", gap: "4px 16px" }}>
          {perms.map((p) => {
            const mayGive = grantable(p.key);
            const box = (
              <Checkbox
                key={p.key}
                checked={patternOn || selected.has(p.key) || covered(p.key)}
                disabled={patternOn || covered(p.key) || (!mayGive && !selected.has(p.key))}
                onChange={(e) => toggle(p.key, e.target.checked)}
                data-testid={`${testId}-${p.key}`}
              >
                <span>{p.label[lang]}</span>
                {p.sensitive && (
                  <Tag color="orange" style={{ marginInlineStart: 6 }}>
                    {t("sensitive")}
                  </Tag>
                )}
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                  {p.key}
                </Typography.Text>
              </Checkbox>
            );
            return mayGive ? (
              box
            ) : (
              <Tooltip key={p.key} title={t("pickerNotHeld")}>
                {box}
              </Tooltip>
            );
          })}
        </div>
      ),
    };
  });

  const addTyped = () => {
    const k = typed.trim();
    if (!KEY_RE.test(k) || selected.has(k)) return;
    toggle(k, true);
    setTyped("");
  };
  const activeKeys = query || onlySelected ? groups.map((g) => g.module) : (open ?? modules.filter((m) => value.some((k) => moduleOfKey(catalog, k) === m)));

  return (
    <div data-testid={testId}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Input allowClear prefix={<SearchOutlined />} placeholder={t("pickerSearch")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 260 }} data-testid={`${testId}-search`} />
        <Space size={4}>
          <Switch size="small" checked={onlySelected} onChange={setOnlySelected} />
          <Typography.Text type="secondary">{t("pickerOnlySelected")}</Typography.Text>
        </Space>
        <Typography.Text type="secondary" data-testid={`${testId}-count`}>
          {t("pickerCount", { count: value.length })}
        </Typography.Text>
      </Space>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("pickerNoMatch")} />
      ) : (
        <Collapse size="small" activeKey={activeKeys} onChange={(keys) => setOpen(keys as string[])} items={items} />
      )}
      {(others.length > 0 || mode === "rule") && (
        <div style={{ marginTop: 8 }}>
          {others.length > 0 && (
            <>
              <Typography.Text type="secondary">{mode === "rule" ? t("pickerOthersRule") : t("pickerOthersRole")}</Typography.Text>
              <div style={{ marginTop: 4 }}>
                <Space size={[4, 4]} wrap>
                  {others.map((k) => (
                    <span key={k} style={{ display: "inline-flex", alignItems: "center" }}>
                      <PermissionTag info={info(k)} testId={`${testId}-other-${k}`} />
                      <Button size="small" type="link" onClick={() => toggle(k, false)} style={{ paddingInline: 2 }}>
                        {t("pickerRemove")}
                      </Button>
                    </span>
                  ))}
                </Space>
              </div>
            </>
          )}
          {mode === "rule" && (
            <Space.Compact style={{ marginTop: 8, width: 420, maxWidth: "100%" }}>
              <Input
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                onPressEnter={(e) => {
                  e.preventDefault();
                  addTyped();
                }}
                placeholder={t("pickerTypePlaceholder")}
                status={typed && !KEY_RE.test(typed.trim()) ? "error" : undefined}
                data-testid={`${testId}-typed`}
              />
              <Button icon={<PlusOutlined />} onClick={addTyped} disabled={!KEY_RE.test(typed.trim())}>
                {t("pickerAdd")}
              </Button>
            </Space.Compact>
          )}
          {mode === "role" && others.length > 0 && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t("pickerOthersRoleHint")} />}
        </div>
      )}
    </div>
  );
}
