import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Checkbox, Form, Input, InputNumber, Space, Table, Tag, TimePicker, Tooltip, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/core";
import { orgText } from "./i18n";

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const SHIFT_CODE_RE = /^[A-Z0-9][A-Z0-9_-]{0,15}$/;

type WeekdayKey = `weekday${(typeof WEEKDAYS)[number]}`;

export function useWeekdayLabel() {
  const t = useT(orgText);
  return (n: number) => `${t("weekdayPrefix")}${t(`weekday${n}` as WeekdayKey)}`;
}

export function WeekdayTags({ days }: { days: number[] }) {
  const label = useWeekdayLabel();
  const set = new Set(days);
  return (
    <Space size={2} wrap>
      {WEEKDAYS.map((d) => (
        <Tag key={d} color={set.has(d) ? "blue" : undefined} style={{ marginInlineEnd: 0, opacity: set.has(d) ? 1 : 0.45 }}>
          {label(d)}
        </Tag>
      ))}
    </Space>
  );
}

export function WeekdayCheckboxes(props: { value?: number[]; onChange?: (v: number[]) => void }) {
  const label = useWeekdayLabel();
  return (
    <Checkbox.Group
      value={props.value}
      onChange={(v) => props.onChange?.((v as number[]).slice().sort())}
      options={WEEKDAYS.map((d) => ({ value: d, label: label(d) }))}
      data-testid="cal-weekdays"
    />
  );
}

const toMinutes = (hhmm: string | undefined) => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm ?? "");
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

/** Net working minutes of a shift; a shift ending at or before its start runs past midnight. */
export function netMinutes(start: string | undefined, end: string | undefined, breakMinutes: number | undefined): number | null {
  const s = toMinutes(start);
  const e = toMinutes(end);
  if (s === null || e === null) return null;
  return ((e - s + 1440) % 1440) - (breakMinutes ?? 0);
}

export function formatMinutes(min: number | null, lang: "zh-CN" | "en-US"): string {
  if (min === null) return "—";
  const h = Math.floor(Math.abs(min) / 60);
  const m = Math.abs(min) % 60;
  const sign = min < 0 ? "-" : "";
  return lang === "zh-CN" ? `${sign}${h} 小时${m ? ` ${m} 分` : ""}` : `${sign}${h} h${m ? ` ${m} min` : ""}`;
}

const timeProps = {
  getValueProps: (v: string | undefined) => {
    const m = /^(\d{2}):(\d{2})$/.exec(v ?? "");
    return { value: m ? dayjs().hour(Number(m[1])).minute(Number(m[2])).second(0) : undefined };
  },
  normalize: (d: Dayjs | null) => (d ? d.format("HH:mm") : undefined),
};

export const newShift = (n: number) => ({
  code: n === 0 ? "D" : String.fromCharCode(65 + n),
  nameZh: "",
  nameEn: "",
  startTime: "08:00",
  endTime: "17:00",
  breakMinutes: 60,
});

/** Shifts as editable table rows inside a Form (field paths shifts/<i>/<field>, as the server reports errors). */
export function ShiftsEditor({ lang, disabled }: { lang: "zh-CN" | "en-US"; disabled?: boolean }) {
  const t = useT(orgText);
  const tc = useT(common);
  return (
    <Form.List name="shifts">
      {(fields, { add, remove }) => (
        <>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={fields}
            data-testid="cal-shifts"
            scroll={{ x: 820 }}
            locale={{ emptyText: tc("none") }}
            columns={[
              {
                title: t("calShiftCode"),
                width: 90,
                render: (_, f) => (
                  <Form.Item
                    name={[f.name, "code"]}
                    noStyle={false}
                    style={{ margin: 0 }}
                    normalize={(v: string) => v?.toUpperCase()}
                    rules={[{ required: true, pattern: SHIFT_CODE_RE, message: tc("codeRule") }]}
                  >
                    <Input maxLength={16} disabled={disabled} data-testid={`shift-${f.name}-code`} />
                  </Form.Item>
                ),
              },
              {
                title: tc("nameZh"),
                render: (_, f) => (
                  <Form.Item name={[f.name, "nameZh"]} style={{ margin: 0 }} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
                    <Input maxLength={200} disabled={disabled} data-testid={`shift-${f.name}-nameZh`} />
                  </Form.Item>
                ),
              },
              {
                title: tc("nameEn"),
                render: (_, f) => (
                  <Form.Item name={[f.name, "nameEn"]} style={{ margin: 0 }} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
                    <Input maxLength={200} disabled={disabled} data-testid={`shift-${f.name}-nameEn`} />
                  </Form.Item>
                ),
              },
              {
                title: t("calStart"),
                width: 110,
                render: (_, f) => (
                  <Form.Item name={[f.name, "startTime"]} style={{ margin: 0 }} rules={[{ required: true, message: t("calStart") }]} {...timeProps}>
                    <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} allowClear={false} disabled={disabled} data-testid={`shift-${f.name}-start`} />
                  </Form.Item>
                ),
              },
              {
                title: t("calEnd"),
                width: 110,
                render: (_, f) => (
                  <Form.Item name={[f.name, "endTime"]} style={{ margin: 0 }} rules={[{ required: true, message: t("calEnd") }]} {...timeProps}>
                    <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} allowClear={false} disabled={disabled} data-testid={`shift-${f.name}-end`} />
                  </Form.Item>
                ),
              },
              {
                title: t("calBreak"),
                width: 110,
                render: (_, f) => (
                  <Form.Item name={[f.name, "breakMinutes"]} style={{ margin: 0 }} rules={[{ required: true, type: "integer", min: 0, max: 600, message: "0–600" }]}>
                    <InputNumber min={0} max={600} step={5} precision={0} style={{ width: "100%" }} disabled={disabled} data-testid={`shift-${f.name}-break`} />
                  </Form.Item>
                ),
              },
              {
                title: t("calNetMinutes"),
                width: 110,
                render: (_, f) => (
                  <Form.Item noStyle shouldUpdate>
                    {({ getFieldValue }) => {
                      const s = getFieldValue(["shifts", f.name]) as { startTime?: string; endTime?: string; breakMinutes?: number } | undefined;
                      const net = netMinutes(s?.startTime, s?.endTime, s?.breakMinutes);
                      return <Typography.Text type={net !== null && net <= 0 ? "danger" : undefined}>{formatMinutes(net, lang)}</Typography.Text>;
                    }}
                  </Form.Item>
                ),
              },
              {
                title: "",
                width: 48,
                render: (_, f) =>
                  disabled ? null : (
                    <Tooltip title={t("calRemoveShift")}>
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} data-testid={`shift-${f.name}-remove`} />
                    </Tooltip>
                  ),
              },
            ]}
          />
          {!disabled && fields.length < 10 && (
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(newShift(fields.length))} style={{ marginTop: 8 }} block data-testid="cal-add-shift">
              {t("calAddShift")}
            </Button>
          )}
        </>
      )}
    </Form.List>
  );
}
