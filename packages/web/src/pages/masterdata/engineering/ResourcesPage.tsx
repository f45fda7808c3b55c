import {
  ApartmentOutlined,
  ClusterOutlined,
  EditOutlined,
  PlusOutlined,
  ReloadOutlined,
  SettingOutlined,
  StopOutlined,
  TagsOutlined,
  ToolOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Tree,
  Typography,
} from "antd";
import type { DataNode } from "antd/es/tree";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { api } from "../../../api/client";
import { useApiError } from "../../../api/errors";
import { useAuth } from "../../../auth/AuthProvider";
import { formatDate } from "../../../components/format";
import { useIdempotencyKey } from "../../../components/hooks";
import { PageHeader } from "../../../components/PageHeader";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import { DeptSelect } from "../../org/DeptSelect";
import {
  type Capacity,
  type ProductionLine,
  type Skill,
  useAllLines,
  useAllSkills,
  useAllWorkCentres,
  useAllWorkshops,
  useCalendarOptions,
  type WorkCentre,
  type WorkCentreDetail,
  type Workshop,
} from "./api";
import { engText } from "./i18n";
import { decimalRule, money, StatusTag, trimZeros } from "./parts";

const CODE_RE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;
type Sel = { kind: "workshop" | "line" | "centre"; id: number } | null;
type Editing =
  | { kind: "workshop"; row?: Workshop }
  | { kind: "line"; row?: ProductionLine; workshopId: number }
  | { kind: "centre"; row?: WorkCentre; workshopId: number; lineId: number | null }
  | null;

function CalendarSelect({ value, onChange, placeholder, testId }: { value?: number | null; onChange?: (v: number | null) => void; placeholder?: string; testId?: string }) {
  const { lang } = useLang();
  const { data, isLoading } = useCalendarOptions();
  return (
    <Select
      allowClear
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      loading={isLoading}
      placeholder={placeholder}
      data-testid={testId}
      options={(data ?? []).map((c) => ({ value: c.id, label: `${c.code} · ${pickName(lang, c.nameZh, c.nameEn)}` }))}
    />
  );
}

/** Create or edit a workshop, a line or a work centre (one modal, the fields of its kind). */
function ResourceForm({ editing, onClose, onSaved }: { editing: Editing; onClose: () => void; onSaved: (sel: Sel) => void }) {
  const t = useT(engText);
  const tc = useT(common);
  const { can } = useAuth();
  const { lang } = useLang();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const lines = useAllLines();
  const workshops = useAllWorkshops();
  const skills = useAllSkills();
  const canRates = can("masterdata.workcentre.rate.read");

  useEffect(() => {
    if (!editing) return;
    renewKey();
    form.resetFields();
    if (editing.kind === "workshop") form.setFieldsValue(editing.row ?? {});
    if (editing.kind === "line") form.setFieldsValue(editing.row ?? {});
    if (editing.kind === "centre") {
      form.setFieldsValue(
        editing.row
          ? { ...editing.row, skills: editing.row.skills.map((s) => ({ skillId: s.skillId, peopleCount: s.peopleCount })) }
          : { workshopId: editing.workshopId, lineId: editing.lineId, machineCount: 1, efficiencyPct: "100", peopleCount: 1, labourRate: "0", machineRate: "0", overheadRate: "0", skills: [] },
      );
    }
  }, [editing, form, renewKey]);

  const submit = async (v: Record<string, unknown>) => {
    if (!editing) return;
    setBusy(true);
    try {
      const urls = { workshop: "/api/masterdata/workshops", line: "/api/masterdata/production-lines", centre: "/api/masterdata/work-centres" } as const;
      const body: Record<string, unknown> = { ...v };
      for (const k of ["nameZh", "nameEn"]) if (typeof body[k] === "string") body[k] = (body[k] as string).trim();
      if (editing.kind === "line" && !editing.row) body.workshopId = editing.workshopId;
      if (editing.kind === "centre") {
        for (const k of ["efficiencyPct", "labourRate", "machineRate", "overheadRate"]) if (body[k] !== undefined) body[k] = String(body[k]);
        if (!canRates) for (const k of ["labourRate", "machineRate", "overheadRate"]) delete body[k];
        body.lineId = body.lineId ?? null;
        body.skills = ((body.skills as { skillId: number; peopleCount: number }[] | undefined) ?? []).filter((s) => s?.skillId);
      }
      let saved: { id: number };
      if (editing.row) {
        const changes = Object.fromEntries(Object.entries(body).filter(([k, val]) => JSON.stringify(val) !== JSON.stringify((editing.row as unknown as Record<string, unknown>)[k])));
        if (editing.kind === "centre") changes.skills = body.skills;
        saved = await api.patch<{ id: number }>(`${urls[editing.kind]}/${editing.row.id}`, changes, { version: editing.row.version });
        message.success(tc("saved"));
      } else {
        saved = await api.post<{ id: number }>(urls[editing.kind], body, { idempotencyKey: idemKey() });
        renewKey();
        message.success(tc("created"));
      }
      await qc.invalidateQueries({ queryKey: ["masterdata"] });
      onSaved({ kind: editing.kind, id: saved.id });
    } catch (e) {
      showError(e, { form, onConflict: () => void qc.invalidateQueries({ queryKey: ["masterdata"] }).then(onClose) });
    } finally {
      setBusy(false);
    }
  };

  const title = !editing
    ? ""
    : editing.kind === "workshop"
      ? editing.row
        ? t("workshopEdit")
        : t("workshopCreate")
      : editing.kind === "line"
        ? editing.row
          ? t("lineEdit")
          : t("lineCreate")
        : editing.row
          ? t("workCentreEdit")
          : t("workCentreCreate");
  const workshopId = Form.useWatch("workshopId", form) as number | undefined;
  const people = (Form.useWatch("peopleCount", form) as number | undefined) ?? 0;

  return (
    <Modal
      open={editing !== null}
      title={title}
      width={editing?.kind === "centre" ? 860 : 560}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "res-form-submit" }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="res-form">
        <Row gutter={12}>
          <Col span={editing?.kind === "centre" ? 6 : 8}>
            <Form.Item name="code" label={tc("code")} normalize={(v: string) => v?.toUpperCase()} rules={[{ required: true, message: tc("required", { field: tc("code") }) }, { pattern: CODE_RE, message: tc("codeRule") }]}>
              <Input maxLength={32} data-testid="res-code" />
            </Form.Item>
          </Col>
          <Col span={editing?.kind === "centre" ? 9 : 16}>
            <Form.Item name="nameZh" label={tc("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
              <Input maxLength={200} data-testid="res-nameZh" />
            </Form.Item>
          </Col>
          <Col span={editing?.kind === "centre" ? 9 : 24}>
            <Form.Item name="nameEn" label={tc("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
              <Input maxLength={200} data-testid="res-nameEn" />
            </Form.Item>
          </Col>
        </Row>
        {editing?.kind === "workshop" && (
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="departmentId" label={t("department")}>
                <DeptSelect testId="res-department" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="calendarId" label={t("calendar")}>
                <CalendarSelect placeholder={t("calendarDefault")} testId="res-calendar" />
              </Form.Item>
            </Col>
          </Row>
        )}
        {editing?.kind === "line" && (
          <Form.Item name="calendarId" label={t("calendar")}>
            <CalendarSelect placeholder={t("calendarInherited", { code: t("workshop") })} testId="res-calendar" />
          </Form.Item>
        )}
        {editing?.kind === "centre" && (
          <>
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item name="workshopId" label={t("workshop")} rules={[{ required: true }]}>
                  <Select
                    data-testid="res-workshop"
                    onChange={() => form.setFieldValue("lineId", null)}
                    options={(workshops.data ?? []).filter((w) => w.active || w.id === workshopId).map((w) => ({ value: w.id, label: `${w.code} · ${pickName(lang, w.nameZh, w.nameEn)}` }))}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="lineId" label={t("line")}>
                  <Select
                    allowClear
                    placeholder={t("noLine")}
                    data-testid="res-line"
                    options={(lines.data ?? []).filter((l) => l.workshopId === workshopId && l.active).map((l) => ({ value: l.id, label: `${l.code} · ${pickName(lang, l.nameZh, l.nameEn)}` }))}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="calendarId" label={t("calendar")}>
                  <CalendarSelect placeholder={t("calendarInherited", { code: `${t("line")}/${t("workshop")}` })} testId="res-calendar" />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item name="machineCount" label={t("machines")} rules={[{ required: true }]}>
                  <InputNumber min={0} max={10000} precision={0} style={{ width: "100%" }} data-testid="res-machines" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="efficiencyPct" label={t("efficiency")} rules={[{ required: true }, decimalRule(3, 2, "0.01 – 200")]}>
                  <InputNumber stringMode min="0.01" max="200" style={{ width: "100%" }} data-testid="res-efficiency" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="peopleCount" label={t("people")} rules={[{ required: true }]}>
                  <InputNumber min={0} max={10000} precision={0} style={{ width: "100%" }} data-testid="res-people" />
                </Form.Item>
              </Col>
            </Row>
            {canRates && (
              <Row gutter={12}>
                {(["labourRate", "machineRate", "overheadRate"] as const).map((k) => (
                  <Col span={8} key={k}>
                    <Form.Item name={k} label={t(k)} rules={[decimalRule(12, 6, "≥ 0")]}>
                      <InputNumber stringMode min="0" style={{ width: "100%" }} data-testid={`res-${k}`} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            )}
            <Typography.Text strong>{t("skills")}</Typography.Text>
            <Form.List name="skills">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline" style={{ display: "flex", marginTop: 8 }}>
                      <Form.Item name={[f.name, "skillId"]} rules={[{ required: true }]} style={{ width: 320, margin: 0 }}>
                        <Select
                          data-testid={`res-skill-${f.name}`}
                          options={(skills.data ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: `${s.code} · ${pickName(lang, s.nameZh, s.nameEn)}` }))}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, "peopleCount"]} rules={[{ required: true }]} style={{ margin: 0 }}>
                        <InputNumber min={1} max={Math.max(1, people)} precision={0} addonAfter={t("skillPeople")} data-testid={`res-skill-${f.name}-people`} />
                      </Form.Item>
                      <Button type="text" danger onClick={() => remove(f.name)}>
                        {tc("remove")}
                      </Button>
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ peopleCount: 1 })} style={{ marginTop: 8 }} data-testid="res-add-skill">
                    {t("addSkill")}
                  </Button>
                </>
              )}
            </Form.List>
          </>
        )}
      </Form>
    </Modal>
  );
}

function SkillsModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT(engText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const { data, isFetching } = useAllSkills();
  const [form] = Form.useForm<{ code: string; nameZh: string; nameEn: string }>();
  const [idemKey, renewKey] = useIdempotencyKey();
  const [editingSkill, setEditingSkill] = useState<Skill | null>(null);
  const canEdit = can("masterdata.workcentre.edit");
  const submit = async (v: { code: string; nameZh: string; nameEn: string }) => {
    const body = { code: v.code, nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim() };
    try {
      if (editingSkill) {
        await api.patch(`/api/masterdata/skills/${editingSkill.id}`, body, { version: editingSkill.version });
        message.success(tc("saved"));
      } else {
        await api.post("/api/masterdata/skills", body, { idempotencyKey: idemKey() });
        renewKey();
        message.success(tc("created"));
      }
      setEditingSkill(null);
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ["masterdata", "skills"] });
    } catch (e) {
      showError(e, { form, onConflict: () => void qc.invalidateQueries({ queryKey: ["masterdata", "skills"] }) });
    }
  };
  const edit = (s: Skill) => {
    setEditingSkill(s);
    form.setFieldsValue({ code: s.code, nameZh: s.nameZh, nameEn: s.nameEn });
  };
  const toggle = async (s: Skill) => {
    try {
      await api.patch(`/api/masterdata/skills/${s.id}`, { active: !s.active }, { version: s.version });
      await qc.invalidateQueries({ queryKey: ["masterdata", "skills"] });
    } catch (e) {
      showError(e);
    }
  };
  return (
    <Modal open={open} title={t("skillsTitle")} onCancel={onClose} footer={null} width={720} destroyOnHidden>
      {canEdit && (
        <Form form={form} layout="inline" onFinish={submit} style={{ marginBottom: 12, rowGap: 8 }} data-testid="skill-form">
          <Form.Item name="code" normalize={(v: string) => v?.toUpperCase()} rules={[{ required: true, message: tc("code") }, { pattern: CODE_RE, message: tc("codeRule") }]}>
            <Input placeholder={tc("code")} style={{ width: 120 }} data-testid="skill-code" />
          </Form.Item>
          <Form.Item name="nameZh" rules={[{ required: true, whitespace: true, message: tc("nameZh") }]}>
            <Input placeholder={tc("nameZh")} style={{ width: 160 }} data-testid="skill-nameZh" />
          </Form.Item>
          <Form.Item name="nameEn" rules={[{ required: true, whitespace: true, message: tc("nameEn") }]}>
            <Input placeholder={tc("nameEn")} style={{ width: 160 }} data-testid="skill-nameEn" />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={editingSkill ? <EditOutlined /> : <PlusOutlined />} data-testid="skill-submit">
            {editingSkill ? tc("save") : t("skillCreate")}
          </Button>
          {editingSkill && (
            <Button
              onClick={() => {
                setEditingSkill(null);
                form.resetFields();
              }}
            >
              {tc("cancel")}
            </Button>
          )}
        </Form>
      )}
      <Table<Skill>
        size="small"
        rowKey="id"
        loading={isFetching}
        dataSource={data ?? []}
        pagination={false}
        data-testid="skill-table"
        columns={[
          { title: tc("code"), dataIndex: "code", width: 120 },
          {
            title: tc("name"),
            render: (_, s) =>
              canEdit ? (
                <Typography.Link onClick={() => edit(s)} data-testid={`skill-edit-${s.code}`}>
                  {pickName(lang, s.nameZh, s.nameEn)} <EditOutlined />
                </Typography.Link>
              ) : (
                pickName(lang, s.nameZh, s.nameEn)
              ),
          },
          { title: t("workCentres"), dataIndex: "workCentreCount", width: 100, align: "right" },
          {
            title: t("status"),
            width: 110,
            render: (_, s) => (canEdit ? <Switch size="small" checked={s.active} onChange={() => toggle(s)} /> : s.active ? tc("active") : tc("inactive")),
          },
        ]}
      />
    </Modal>
  );
}

function CapacityPanel({ centre }: { centre: WorkCentre }) {
  const t = useT(engText);
  const { lang } = useLang();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs(), dayjs().add(20, "day")]);
  const from = range[0].format("YYYY-MM-DD");
  const to = range[1].format("YYYY-MM-DD");
  const { data, error, isFetching } = useQuery({
    queryKey: ["masterdata", "work-centres", centre.id, "capacity", from, to, centre.version],
    queryFn: () => api.get<Capacity>(`/api/masterdata/work-centres/${centre.id}/capacity`, { from, to }),
  });
  const max = Math.max(1, ...(data?.days ?? []).map((d) => Number(d.availableMinutes)));
  // minutes (2 dp) → hours (2 dp), in integers so nothing is lost to floats
  const hundredthsOfHours = data ? ((BigInt(data.totalAvailableMinutes.replace(".", "")) * 100n) / 6000n).toString().padStart(3, "0") : "";
  const totalHours = data ? money(`${hundredthsOfHours.slice(0, -2)}.${hundredthsOfHours.slice(-2)}`, 2) : "";
  return (
    <Card
      size="small"
      title={t("capacity")}
      data-testid="wc-capacity"
      extra={
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          data-testid="wc-capacity-range"
        />
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t("capacityHint")}
      </Typography.Paragraph>
      {error ? (
        <Alert type="warning" showIcon title={(error as Error).message} />
      ) : (
        <>
          {data && (
            <Typography.Text strong data-testid="wc-capacity-total">
              {t("totalAvailable", { minutes: money(data.totalAvailableMinutes, 0), hours: totalHours })}
            </Typography.Text>
          )}
          <div style={{ display: "flex", alignItems: "flex-end", gap: 3, height: 120, marginTop: 12, opacity: isFetching ? 0.6 : 1 }}>
            {(data?.days ?? []).map((d) => {
              const h = (Number(d.availableMinutes) / max) * 100;
              return (
                <Tooltip key={d.day} title={`${d.day} · ${trimZeros(d.availableMinutes)} min${d.note ? ` · ${d.note}` : ""}`}>
                  <div style={{ flex: 1, display: "flex", flexDirection: "column", alignItems: "center", justifyContent: "flex-end", height: "100%" }}>
                    <div
                      data-testid={`wc-cap-${d.day}`}
                      style={{ width: "100%", height: `${Math.max(h, 2)}%`, background: d.working ? "#4096ff" : "#e5e6eb", borderRadius: 2 }}
                    />
                  </div>
                </Tooltip>
              );
            })}
          </div>
          <Table
            size="small"
            rowKey="day"
            style={{ marginTop: 12 }}
            pagination={{ pageSize: 7, size: "small" }}
            dataSource={data?.days ?? []}
            loading={isFetching}
            columns={[
              { title: t("asOf"), dataIndex: "day", width: 150, render: (v: string) => `${formatDate(v)} ${dayjs(v).locale(lang === "zh-CN" ? "zh-cn" : "en").format("ddd")}` },
              { title: t("calendarMinutes"), dataIndex: "calendarMinutes", align: "right" },
              { title: t("machineMinutes"), dataIndex: "machineMinutes", align: "right", render: (v: string) => trimZeros(v) },
              { title: t("labourMinutes"), dataIndex: "labourMinutes", align: "right", render: (v: string) => trimZeros(v) },
              { title: t("availableMinutes"), dataIndex: "availableMinutes", align: "right", render: (v: string) => <b>{trimZeros(v)}</b> },
              { title: t("notes"), dataIndex: "note", render: (v: string | null) => v ?? "" },
            ]}
          />
        </>
      )}
    </Card>
  );
}

function CentreDetail({ centre }: { centre: WorkCentre }) {
  const t = useT(engText);
  const { lang } = useLang();
  const { data } = useQuery({
    queryKey: ["masterdata", "work-centres", centre.id, "detail", centre.version],
    queryFn: () => api.get<WorkCentreDetail>(`/api/masterdata/work-centres/${centre.id}`),
  });
  const rates = centre.labourRate === null;
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size={12}>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        data-testid="wc-detail"
        items={[
          { key: "ws", label: t("workshop"), children: `${centre.workshopCode} · ${pickName(lang, centre.workshopNameZh, centre.workshopNameEn)}` },
          { key: "line", label: t("line"), children: centre.lineCode ? `${centre.lineCode} · ${pickName(lang, centre.lineNameZh, centre.lineNameEn)}` : t("noLine") },
          { key: "m", label: t("machines"), children: centre.machineCount },
          { key: "e", label: t("efficiency"), children: `${trimZeros(centre.efficiencyPct)} %` },
          { key: "p", label: t("people"), children: centre.peopleCount },
          {
            key: "cal",
            label: t("calendar"),
            children: centre.calendarId ? centre.effectiveCalendarCode : t("calendarInherited", { code: centre.effectiveCalendarCode ?? "—" }),
          },
          {
            key: "skills",
            label: t("skills"),
            span: 2,
            children: centre.skills.length ? (
              <Space size={[4, 4]} wrap>
                {centre.skills.map((s) => (
                  <Tag key={s.skillId}>
                    {s.code} · {pickName(lang, s.nameZh, s.nameEn)} × {s.peopleCount}
                  </Tag>
                ))}
              </Space>
            ) : (
              "—"
            ),
          },
          {
            key: "rates",
            label: rates ? t("ratesHidden") : t("rates"),
            span: 2,
            children: rates ? (
              <Typography.Text type="secondary">***</Typography.Text>
            ) : (
              <span data-testid="wc-rates">
                {t("labour")} {money(centre.labourRate, 2)} · {t("machine")} {money(centre.machineRate, 2)} · {t("overhead")} {money(centre.overheadRate, 2)}
              </span>
            ),
          },
        ]}
      />
      <CapacityPanel centre={centre} />
      <Card size="small" title={t("usedByRoutings")}>
        {data?.usedBy.length ? (
          <Space size={[6, 6]} wrap>
            {data.usedBy.map((r) => (
              <Link key={`${r.id}-${r.primary}`} to={`/masterdata/routings/${r.id}`}>
                <Tag color={r.status === "active" ? "green" : "blue"}>
                  {r.itemCode} · {r.versionCode}
                  {!r.primary && ` (${t("alternatives")})`}
                </Tag>
              </Link>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        )}
      </Card>
    </Space>
  );
}

export default function ResourcesPage() {
  const t = useT(engText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const workshops = useAllWorkshops();
  const lines = useAllLines();
  const centres = useAllWorkCentres();
  const [sel, setSel] = useState<Sel>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [skillsOpen, setSkillsOpen] = useState(false);
  const [showInactive, setShowInactive] = useState(false);
  const [q, setQ] = useState("");
  const canEdit = can("masterdata.workcentre.edit");

  const treeData = useMemo<DataNode[]>(() => {
    const query = q.trim().toLowerCase();
    const hit = (r: { code: string; nameZh: string; nameEn: string }) =>
      !query || r.code.toLowerCase().includes(query) || r.nameZh.toLowerCase().includes(query) || r.nameEn.toLowerCase().includes(query);
    const visible = <T extends { active: boolean }>(r: T) => showInactive || r.active;
    const label = (r: { code: string; nameZh: string; nameEn: string; active: boolean }, icon: React.ReactNode, testId: string, extra?: React.ReactNode) => (
      <span data-testid={testId} style={{ opacity: r.active ? 1 : 0.5 }}>
        {icon} {pickName(lang, r.nameZh, r.nameEn)}{" "}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {r.code}
        </Typography.Text>{" "}
        {extra}
        {!r.active && <Tag>{tc("inactive")}</Tag>}
      </span>
    );
    const centreNode = (c: WorkCentre): DataNode => ({
      key: `centre-${c.id}`,
      isLeaf: true,
      title: label(
        c,
        <ToolOutlined />,
        `res-node-${c.code}`,
        <Tag color="blue" title={`${t("machines")} ${c.machineCount} · ${t("people")} ${c.peopleCount}`}>
          <SettingOutlined /> {c.machineCount} <UserOutlined /> {c.peopleCount}
        </Tag>,
      ),
    });
    return (workshops.data ?? [])
      .filter(visible)
      .map((w) => {
        const wLines = (lines.data ?? []).filter((l) => l.workshopId === w.id && visible(l));
        const wCentres = (centres.data ?? []).filter((c) => c.workshopId === w.id && visible(c));
        const lineNodes = wLines
          .map((l) => {
            const children = wCentres.filter((c) => c.lineId === l.id && (hit(c) || hit(l) || hit(w))).map(centreNode);
            return hit(l) || hit(w) || children.length ? { key: `line-${l.id}`, title: label(l, <ClusterOutlined />, `res-node-${l.code}`), children } : null;
          })
          .filter((x) => x !== null);
        const loose = wCentres.filter((c) => !c.lineId && (hit(c) || hit(w))).map(centreNode);
        if (!hit(w) && lineNodes.length === 0 && loose.length === 0) return null;
        return { key: `workshop-${w.id}`, title: label(w, <ApartmentOutlined />, `res-node-${w.code}`), children: [...lineNodes, ...loose] };
      })
      .filter((x) => x !== null);
  }, [workshops.data, lines.data, centres.data, lang, q, showInactive, tc, t]);

  const selWorkshop = sel?.kind === "workshop" ? workshops.data?.find((w) => w.id === sel.id) : undefined;
  const selLine = sel?.kind === "line" ? lines.data?.find((l) => l.id === sel.id) : undefined;
  const selCentre = sel?.kind === "centre" ? centres.data?.find((c) => c.id === sel.id) : undefined;

  const setActive = (kind: "workshop" | "line" | "centre", row: { id: number; version: number; nameZh: string; nameEn: string; active: boolean }) => {
    const url = { workshop: "workshops", line: "production-lines", centre: "work-centres" }[kind];
    const name = pickName(lang, row.nameZh, row.nameEn);
    modal.confirm({
      title: row.active ? t("deactivateTitle", { name }) : t("reactivateTitle", { name }),
      content: row.active ? t("deactivateText") : undefined,
      okText: row.active ? t("deactivate") : t("reactivate"),
      okButtonProps: { danger: row.active, "data-testid": "res-deactivate-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          await api.patch(`/api/masterdata/${url}/${row.id}`, { active: !row.active }, { version: row.version });
          message.success(tc("saved"));
          if (row.active) setShowInactive(true);
          await qc.invalidateQueries({ queryKey: ["masterdata"] });
        } catch (e) {
          showError(e, { onConflict: () => void qc.invalidateQueries({ queryKey: ["masterdata"] }) });
        }
      },
    });
  };

  const loading = workshops.isLoading || lines.isLoading || centres.isLoading;
  const allKeys = treeData.flatMap((w) => [w.key, ...(w.children ?? []).map((c) => c.key)]);
  const detailTitle = selWorkshop ?? selLine ?? selCentre;

  return (
    <>
      <PageHeader
        title={t("resourcesTitle")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => qc.invalidateQueries({ queryKey: ["masterdata"] })}>
              {tc("refresh")}
            </Button>
            <Button icon={<TagsOutlined />} onClick={() => setSkillsOpen(true)} data-testid="skills-open">
              {t("skillsManage")}
            </Button>
            {canEdit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: "workshop" })} data-testid="workshop-create">
                {t("workshopCreate")}
              </Button>
            )}
          </>
        }
      />
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={9} xl={8}>
          <Card size="small">
            <Space orientation="vertical" style={{ width: "100%" }} size={8}>
              <Input.Search allowClear placeholder={tc("search")} value={q} onChange={(e) => setQ(e.target.value)} data-testid="res-search" />
              <Space size={6}>
                <Switch size="small" checked={showInactive} onChange={setShowInactive} />
                <Typography.Text type="secondary">{t("showInactive")}</Typography.Text>
              </Space>
              <div data-testid="res-tree" style={{ minHeight: 200, maxHeight: "calc(100vh - 260px)", overflow: "auto" }}>
                {loading ? (
                  <Skeleton active />
                ) : treeData.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noWorkshops")} />
                ) : (
                  <Tree
                    blockNode
                    showLine
                    treeData={treeData}
                    expandedKeys={allKeys}
                    selectedKeys={sel ? [`${sel.kind}-${sel.id}`] : []}
                    onSelect={(_k, info) => {
                      const [kind, id] = String(info.node.key).split("-");
                      setSel({ kind: kind as "workshop" | "line" | "centre", id: Number(id) });
                    }}
                  />
                )}
              </div>
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={15} xl={16}>
          <Card
            size="small"
            data-testid="res-detail"
            title={
              detailTitle ? (
                <Space>
                  {selWorkshop ? t("workshop") : selLine ? t("line") : t("workCentre")}
                  <b>{pickName(lang, detailTitle.nameZh, detailTitle.nameEn)}</b>
                  <Tag>{detailTitle.code}</Tag>
                  {!detailTitle.active && <StatusTag status="obsolete" />}
                </Space>
              ) : (
                tc("details")
              )
            }
            extra={
              canEdit &&
              detailTitle && (
                <Space wrap>
                  <Button
                    icon={<EditOutlined />}
                    data-testid="res-edit"
                    onClick={() =>
                      selWorkshop
                        ? setEditing({ kind: "workshop", row: selWorkshop })
                        : selLine
                          ? setEditing({ kind: "line", row: selLine, workshopId: selLine.workshopId })
                          : selCentre && setEditing({ kind: "centre", row: selCentre, workshopId: selCentre.workshopId, lineId: selCentre.lineId })
                    }
                  >
                    {tc("edit")}
                  </Button>
                  {selWorkshop?.active && (
                    <Button icon={<PlusOutlined />} onClick={() => setEditing({ kind: "line", workshopId: selWorkshop.id })} data-testid="line-create">
                      {t("lineCreate")}
                    </Button>
                  )}
                  {(selWorkshop?.active || selLine?.active) && (
                    <Button
                      icon={<PlusOutlined />}
                      data-testid="centre-create"
                      onClick={() =>
                        setEditing({ kind: "centre", workshopId: selWorkshop?.id ?? selLine!.workshopId, lineId: selLine?.id ?? null })
                      }
                    >
                      {t("workCentreCreate")}
                    </Button>
                  )}
                  <Button
                    danger={detailTitle.active}
                    icon={<StopOutlined />}
                    data-testid="res-deactivate"
                    onClick={() => setActive(selWorkshop ? "workshop" : selLine ? "line" : "centre", detailTitle)}
                  >
                    {detailTitle.active ? t("deactivate") : t("reactivate")}
                  </Button>
                </Space>
              )
            }
          >
            {!detailTitle ? (
              <Empty description={t("selectHint")} />
            ) : selWorkshop ? (
              <Descriptions
                bordered
                size="small"
                column={{ xs: 1, md: 2 }}
                items={[
                  { key: "c", label: tc("code"), children: selWorkshop.code },
                  { key: "s", label: t("status"), children: selWorkshop.active ? tc("active") : tc("inactive") },
                  { key: "zh", label: tc("nameZh"), children: selWorkshop.nameZh },
                  { key: "en", label: tc("nameEn"), children: selWorkshop.nameEn },
                  {
                    key: "d",
                    label: t("department"),
                    children: selWorkshop.departmentCode ? `${selWorkshop.departmentCode} · ${pickName(lang, selWorkshop.departmentNameZh, selWorkshop.departmentNameEn)}` : "—",
                  },
                  {
                    key: "cal",
                    label: t("calendar"),
                    children: selWorkshop.calendarCode ? `${selWorkshop.calendarCode} · ${pickName(lang, selWorkshop.calendarNameZh, selWorkshop.calendarNameEn)}` : t("calendarDefault"),
                  },
                  { key: "n", label: t("lines"), children: t("countLines", { n: selWorkshop.lineCount }) },
                  { key: "w", label: t("workCentres"), children: t("countCentres", { n: selWorkshop.workCentreCount }) },
                ]}
              />
            ) : selLine ? (
              <Descriptions
                bordered
                size="small"
                column={{ xs: 1, md: 2 }}
                items={[
                  { key: "c", label: tc("code"), children: selLine.code },
                  { key: "ws", label: t("workshop"), children: selLine.workshopCode },
                  { key: "zh", label: tc("nameZh"), children: selLine.nameZh },
                  { key: "en", label: tc("nameEn"), children: selLine.nameEn },
                  { key: "cal", label: t("calendar"), children: selLine.calendarCode ?? t("calendarInherited", { code: t("workshop") }) },
                  { key: "w", label: t("workCentres"), children: t("countCentres", { n: selLine.workCentreCount }) },
                ]}
              />
            ) : (
              selCentre && <CentreDetail centre={selCentre} />
            )}
          </Card>
        </Col>
      </Row>
      <ResourceForm editing={editing} onClose={() => setEditing(null)} onSaved={(s) => {
        setEditing(null);
        setSel(s);
      }} />
      <SkillsModal open={skillsOpen} onClose={() => setSkillsOpen(false)} />
    </>
  );
}
