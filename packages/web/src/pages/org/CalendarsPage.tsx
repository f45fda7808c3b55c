import { PlusOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Modal, Switch, Table, Tag, Typography } from "antd";
import type { SorterResult } from "antd/es/table/interface";
import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, type Page, sortParam } from "../../api/client";
import { useApiError } from "../../api/errors";
import type { CalendarSummary, Shift } from "../../api/types";
import { useAuth } from "../../auth/AuthProvider";
import { useDebounced, useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { newShift, ShiftsEditor, WeekdayCheckboxes, WeekdayTags } from "./calendarParts";
import { orgText } from "./i18n";

const CODE_RE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

interface CreateValues {
  code: string;
  nameZh: string;
  nameEn: string;
  workingWeekdays: number[];
  isDefault: boolean;
  shifts: Shift[];
}

function CreateCalendarModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT(orgText);
  const tc = useT(common);
  const { lang } = useLang();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<CreateValues>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();

  useEffect(() => {
    if (!open) return;
    renewKey();
    form.resetFields();
    form.setFieldsValue({ workingWeekdays: [1, 2, 3, 4, 5], isDefault: false, shifts: [{ ...newShift(0), nameZh: "白班", nameEn: "Day shift" }] });
  }, [open, form, renewKey]);

  const submit = async (v: CreateValues) => {
    setBusy(true);
    try {
      const created = await api.post<{ id: number }>(
        "/api/org/calendars",
        { ...v, nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), shifts: v.shifts ?? [] },
        { idempotencyKey: idemKey() },
      );
      renewKey();
      message.success(tc("created"));
      await qc.invalidateQueries({ queryKey: ["org", "calendars"] });
      onClose();
      navigate(`/org/calendars/${created.id}`);
    } catch (e) {
      showError(e, { form });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t("calCreate")}
      width={980}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "cal-form-submit" }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="cal-form">
        <div style={{ display: "grid", gridTemplateColumns: "160px 1fr 1fr", gap: 12 }}>
          <Form.Item
            name="code"
            label={tc("code")}
            normalize={(v: string) => v?.toUpperCase()}
            rules={[
              { required: true, message: tc("required", { field: tc("code") }) },
              { pattern: CODE_RE, message: tc("codeRule") },
            ]}
          >
            <Input maxLength={32} data-testid="cal-code" />
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
        <ShiftsEditor lang={lang} />
      </Form>
    </Modal>
  );
}

export default function CalendarsPage() {
  const t = useT(orgText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>("code");
  const [creating, setCreating] = useState(false);
  const query = useDebounced(q.trim());

  const { data, isLoading, isPlaceholderData } = useQuery({
    queryKey: ["org", "calendars", "list", { page, pageSize, sort, q: query }],
    queryFn: () => api.get<Page<CalendarSummary>>("/api/org/calendars", { page, pageSize, sort, q: query }),
    placeholderData: keepPreviousData,
  });

  const sortOrder = (field: string) => (sort === field ? "ascend" : sort === `-${field}` ? "descend" : null);
  const nameField = lang === "zh-CN" ? "nameZh" : "nameEn";

  return (
    <>
      <PageHeader
        title={t("calTitle")}
        extra={
          can("org.calendar.edit") && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="cal-create">
              {t("calCreate")}
            </Button>
          )
        }
      />
      <Card size="small">
        <div className="kw-toolbar">
          <Input.Search allowClear placeholder={t("calSearch")} value={q} onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
            style={{ width: 280 }}
            data-testid="cal-search" />
        </div>
        <Table<CalendarSummary>
          rowKey="id"
          size="small"
          loading={isLoading || isPlaceholderData}
          dataSource={data?.items ?? []}
          data-testid="cal-table"
          onRow={(r) => ({ onClick: () => navigate(`/org/calendars/${r.id}`), style: { cursor: "pointer" } })}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => tc("total", { total }),
          }}
          onChange={(p, _f, s) => {
            const sorter = s as SorterResult<CalendarSummary>;
            setSort(sortParam(sorter.field as string | undefined, sorter.order) ?? "code");
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 20);
          }}
          columns={[
            { title: tc("code"), dataIndex: "code", key: "code", width: 140, sorter: true, sortOrder: sortOrder("code") },
            {
              title: tc("name"),
              dataIndex: nameField,
              key: nameField,
              sorter: true,
              sortOrder: sortOrder(nameField),
              render: (_, r) => (
                <Link to={`/org/calendars/${r.id}`} data-testid={`cal-row-${r.code}`} onClick={(e) => e.stopPropagation()}>
                  {pickName(lang, r.nameZh, r.nameEn)}
                  {r.isDefault && (
                    <Tag color="gold" style={{ marginInlineStart: 8 }}>
                      {t("calDefault")}
                    </Tag>
                  )}
                </Link>
              ),
            },
            { title: t("calWeekdays"), dataIndex: "workingWeekdays", width: 330, render: (v: number[]) => <WeekdayTags days={v} /> },
            { title: t("calShiftCount"), dataIndex: "shiftCount", width: 90, align: "right" },
            { title: t("calExceptionCount"), dataIndex: "exceptionCount", width: 130, align: "right" },
          ]}
        />
      </Card>
      <CreateCalendarModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
