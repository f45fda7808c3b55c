import { DeleteOutlined, PlusOutlined, SaveOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Calendar,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Popconfirm,
  Select,
  Result,
  Row,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import { useApiError } from "../../api/errors";
import type { CalendarDay, CalendarDetail, CalendarException, Shift } from "../../api/types";
import { useAuth } from "../../auth/AuthProvider";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { formatMinutes, ShiftsEditor, WeekdayCheckboxes } from "./calendarParts";
import { orgText } from "./i18n";

interface BasicsValues {
  nameZh: string;
  nameEn: string;
  workingWeekdays: number[];
  isDefault: boolean;
  shifts: Shift[];
}

interface ExceptionValues {
  day: Dayjs;
  kind: "holiday" | "workday";
  nameZh: string;
  nameEn: string;
}

function Legend() {
  const t = useT(orgText);
  const items = [
    ["work", t("calLegendWork")],
    ["off", t("calLegendOff")],
    ["holiday", t("calLegendHoliday")],
    ["extra", t("calLegendExtra")],
  ] as const;
  return (
    <Space size={12} wrap>
      {items.map(([cls, label]) => (
        <span key={cls} style={{ display: "inline-flex", alignItems: "center", gap: 4, fontSize: 12 }}>
          <span className={`kw-cal-cell ${cls}`} style={{ display: "inline-block", width: 14, height: 14, minHeight: 0, padding: 0, border: "1px solid #e5e6eb" }} />
          {label}
        </span>
      ))}
    </Space>
  );
}

function MonthView({ cal, onPickDay }: { cal: CalendarDetail; onPickDay: (d: Dayjs) => void }) {
  const t = useT(orgText);
  const { lang } = useLang();
  const [current, setCurrent] = useState(() => dayjs());
  const month = current.startOf("month");
  const from = month.startOf("month").subtract(7, "day").format("YYYY-MM-DD");
  const to = month.endOf("month").add(14, "day").format("YYYY-MM-DD");
  const { data, isFetching } = useQuery({
    queryKey: ["org", "calendars", cal.id, "days", from, to],
    queryFn: () => api.get<CalendarDay[]>(`/api/org/calendars/${cal.id}/days`, { from, to }),
  });
  const days = useMemo(() => new Map((data ?? []).map((d) => [d.day, d])), [data]);
  const exceptions = useMemo(() => new Map(cal.exceptions.map((e) => [e.day, e])), [cal.exceptions]);
  return (
    <Card
      size="small"
      title={t("calMonth")}
      extra={<Legend />}
      loading={false}
      data-testid="cal-month"
      styles={{ body: { opacity: isFetching ? 0.7 : 1 } }}
    >
      <Calendar
        value={current}
        onPanelChange={(d) => setCurrent(d)}
        onSelect={(d, info) => {
          setCurrent(d);
          if (info.source === "date") onPickDay(d);
        }}
        cellRender={(d, info) => {
          if (info.type !== "date") return info.originNode;
          const key = d.format("YYYY-MM-DD");
          const day = days.get(key);
          if (!day) return null;
          const ex = exceptions.get(key);
          const cls = ex ? (ex.kind === "holiday" ? "holiday" : "extra") : day.working ? "work" : "off";
          const name = ex ? pickName(lang, ex.nameZh, ex.nameEn) : null;
          return (
            <div className={`kw-cal-cell ${cls}`} data-testid={`cal-day-${key}`} data-working={day.working ? "1" : "0"} title={name ?? undefined}>
              {name && <div style={{ fontWeight: 500, whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" }}>{name}</div>}
              <div>{day.working ? formatMinutes(day.minutes, lang) : !name && t("calLegendOff")}</div>
            </div>
          );
        }}
      />
    </Card>
  );
}

function ExceptionsCard({ cal, canEdit, picked }: { cal: CalendarDetail; canEdit: boolean; picked: Dayjs | null }) {
  const t = useT(orgText);
  const tc = useT(common);
  const { lang } = useLang();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<ExceptionValues>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();

  useEffect(() => {
    if (!picked || !canEdit) return;
    const key = picked.format("YYYY-MM-DD");
    const ex = cal.exceptions.find((e) => e.day === key);
    const isoDow = ((picked.day() + 6) % 7) + 1;
    const normallyWorking = cal.workingWeekdays.includes(isoDow);
    form.setFieldsValue(
      ex
        ? { day: picked, kind: ex.kind, nameZh: ex.nameZh, nameEn: ex.nameEn }
        : { day: picked, kind: normallyWorking ? "holiday" : "workday", nameZh: undefined, nameEn: undefined },
    );
  }, [picked, cal, canEdit, form]);

  const refresh = () => qc.invalidateQueries({ queryKey: ["org", "calendars"] });

  const add = async (v: ExceptionValues) => {
    setBusy(true);
    const day = v.day.format("YYYY-MM-DD");
    try {
      await api.put(
        "/api/org/calendar-exceptions",
        { calendarId: cal.id, day, kind: v.kind, nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim() },
        { idempotencyKey: idemKey() },
      );
      renewKey();
      message.success(t("calExceptionSaved", { day }));
      form.resetFields(["nameZh", "nameEn"]);
      await refresh();
    } catch (e) {
      showError(e, { form, fieldMap: { "/day": ["day"] } });
    } finally {
      setBusy(false);
    }
  };

  const removeException = async (ex: CalendarException) => {
    try {
      await api.delete(`/api/org/calendar-exceptions/${ex.id}`);
      message.success(t("calExceptionRemoved"));
      await refresh();
    } catch (e) {
      showError(e);
    }
  };

  const rows = [...cal.exceptions].sort((a, b) => a.day.localeCompare(b.day));
  return (
    <Card size="small" title={t("calExceptions")} data-testid="cal-exceptions">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t("calExceptionsHint")}
      </Typography.Paragraph>
      {canEdit && (
        <Form form={form} layout="vertical" onFinish={add} initialValues={{ kind: "holiday" }} data-testid="cal-exception-form">
          <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: "0 12px" }}>
            <Form.Item name="day" label={t("calDay")} rules={[{ required: true, message: tc("required", { field: t("calDay") }) }]}>
              <DatePicker style={{ width: "100%" }} data-testid="cal-exception-day" />
            </Form.Item>
            <Form.Item name="kind" label={t("calKind")}>
              <Select
                options={[
                  { value: "holiday", label: t("calHoliday") },
                  { value: "workday", label: t("calWorkday") },
                ]}
                data-testid="cal-exception-kind"
              />
            </Form.Item>
            <Form.Item name="nameZh" label={tc("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
              <Input maxLength={200} placeholder="国庆节" data-testid="cal-exception-nameZh" />
            </Form.Item>
            <Form.Item name="nameEn" label={tc("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
              <Input maxLength={200} placeholder="National Day" data-testid="cal-exception-nameEn" />
            </Form.Item>
          </div>
          <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={busy} style={{ marginBottom: 12 }} data-testid="cal-exception-add">
            {t("calAddException")}
          </Button>
        </Form>
      )}
      <Table<CalendarException>
        rowKey="id"
        size="small"
        dataSource={rows}
        pagination={{ pageSize: 10, size: "small", hideOnSinglePage: true }}
        data-testid="cal-exception-table"
        columns={[
          { title: t("calDay"), dataIndex: "day", width: 110 },
          {
            title: t("calKind"),
            dataIndex: "kind",
            width: 110,
            render: (k: string) => (k === "holiday" ? <Tag color="red">{t("calHoliday")}</Tag> : <Tag color="green">{t("calWorkday")}</Tag>),
          },
          { title: tc("name"), render: (_, r) => pickName(lang, r.nameZh, r.nameEn) },
          ...(canEdit
            ? [
                {
                  title: "",
                  width: 48,
                  render: (_: unknown, r: CalendarException) => (
                    <Popconfirm
                      title={t("calRemoveException", { day: r.day, name: pickName(lang, r.nameZh, r.nameEn) })}
                      okText={tc("remove")}
                      cancelText={tc("cancel")}
                      okButtonProps={{ danger: true, "data-testid": "cal-exception-remove-confirm" }}
                      onConfirm={() => removeException(r)}
                    >
                      <Tooltip title={tc("remove")}>
                        <Button type="text" danger size="small" icon={<DeleteOutlined />} data-testid={`cal-exception-remove-${r.day}`} />
                      </Tooltip>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

export default function CalendarDetailPage() {
  const t = useT(orgText);
  const tc = useT(common);
  const { lang } = useLang();
  const { id } = useParams();
  const navigate = useNavigate();
  const { can } = useAuth();
  const canEdit = can("org.calendar.edit");
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<BasicsValues>();
  const [busy, setBusy] = useState(false);
  const [picked, setPicked] = useState<Dayjs | null>(null);
  const calId = Number(id);
  const { data: cal, isLoading, error, refetch } = useQuery({
    queryKey: ["org", "calendars", calId],
    queryFn: () => api.get<CalendarDetail>(`/api/org/calendars/${calId}`),
    enabled: Number.isInteger(calId) && calId > 0,
  });

  useEffect(() => {
    if (cal) {
      form.setFieldsValue({
        nameZh: cal.nameZh,
        nameEn: cal.nameEn,
        workingWeekdays: cal.workingWeekdays,
        isDefault: cal.isDefault,
        shifts: cal.shifts,
      });
    }
  }, [cal, form]);

  const save = (v: BasicsValues) => {
    if (!cal) return;
    modal.confirm({
      title: t("calConfirmSave", { name: pickName(lang, cal.nameZh, cal.nameEn) }),
      content: t("calConfirmSaveText"),
      okText: tc("save"),
      cancelText: tc("cancel"),
      okButtonProps: { "data-testid": "cal-save-confirm" },
      onOk: async () => {
        setBusy(true);
        try {
          await api.patch(
            `/api/org/calendars/${cal.id}`,
            { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), workingWeekdays: v.workingWeekdays ?? [], isDefault: v.isDefault, shifts: v.shifts ?? [] },
            { version: cal.version },
          );
          message.success(tc("saved"));
          await qc.invalidateQueries({ queryKey: ["org", "calendars"] });
        } catch (e) {
          showError(e, { form, onConflict: () => void refetch() });
        } finally {
          setBusy(false);
        }
      },
    });
  };

  if (error instanceof ApiError && error.status === 404) {
    return <Result status="404" title={t("calNotFound")} extra={<Button onClick={() => navigate("/org/calendars")}>{tc("back")}</Button>} />;
  }
  const title = cal ? pickName(lang, cal.nameZh, cal.nameEn) : t("calTitle");
  return (
    <>
      <PageHeader
        title={title}
        onBack={() => navigate("/org/calendars")}
        sub={
          cal && (
            <Space size={4}>
              <Tag>{cal.code}</Tag>
              {cal.isDefault && <Tag color="gold">{t("calDefault")}</Tag>}
            </Space>
          )
        }
      />
      {isLoading || !cal ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <Row gutter={[12, 12]}>
          <Col span={24}>
            <Card
              size="small"
              title={t("calBasics")}
              data-testid="cal-basics"
              extra={
                canEdit && (
                  <Button type="primary" icon={<SaveOutlined />} loading={busy} onClick={() => form.submit()} data-testid="cal-save">
                    {t("calSaveBasics")}
                  </Button>
                )
              }
            >
              <Form form={form} layout="vertical" onFinish={save} disabled={!canEdit} data-testid="cal-basics-form">
                <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))", gap: "0 12px" }}>
                  <Form.Item label={tc("code")}>
                    <Input value={cal.code} disabled />
                  </Form.Item>
                  <Form.Item name="nameZh" label={tc("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
                    <Input maxLength={200} data-testid="cal-nameZh" />
                  </Form.Item>
                  <Form.Item name="nameEn" label={tc("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
                    <Input maxLength={200} data-testid="cal-nameEn" />
                  </Form.Item>
                </div>
                <div style={{ display: "flex", gap: 32, flexWrap: "wrap" }}>
                  <Form.Item name="workingWeekdays" label={t("calWeekdays")}>
                    <WeekdayCheckboxes />
                  </Form.Item>
                  <Form.Item name="isDefault" label={t("calDefault")} valuePropName="checked">
                    <Switch data-testid="cal-default" />
                  </Form.Item>
                </div>
                <Typography.Title level={5} style={{ marginTop: 0 }}>
                  {t("calShifts")}
                </Typography.Title>
                <Typography.Paragraph type="secondary">{t("calShiftsHint")}</Typography.Paragraph>
                <ShiftsEditor lang={lang} disabled={!canEdit} />
              </Form>
            </Card>
          </Col>
          <Col xs={24} xl={15}>
            <MonthView cal={cal} onPickDay={setPicked} />
          </Col>
          <Col xs={24} xl={9}>
            <ExceptionsCard cal={cal} canEdit={canEdit} picked={picked} />
          </Col>
        </Row>
      )}
    </>
  );
}
