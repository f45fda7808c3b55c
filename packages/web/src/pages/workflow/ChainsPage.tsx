import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, HistoryOutlined, PlusOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from "antd";
import { useEffect, useState } from "react";
import { api, type Page } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useRoles } from "../../api/queries";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { DeptSelect } from "../org/DeptSelect";
import { type ApproverKind, type ChainDetail, type ChainLevel, type ChainRow, useDocTypes } from "./api";
import { wfText } from "./i18n";
import { approverRule, formatAmount, PersonSelect, useDocTypeName } from "./parts";

const DOC_TYPE_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const DECIMAL_RE = /^\d{1,15}(\.\d{1,6})?$/;

interface LevelValues {
  nameZh: string;
  nameEn: string;
  approverKind: ApproverKind;
  roleId?: number | null;
  departmentId?: number | null;
  userId?: number | null;
  userName?: string | null;
  minAmount?: string | null;
  escalateAfterHours?: number | null;
}

interface ChainValues {
  docType: string;
  departmentId?: number | null;
  nameZh: string;
  nameEn: string;
  distinctApprovers: boolean;
  active: boolean;
  levels: LevelValues[];
  note?: string;
}

type Editing = { mode: "create" } | { mode: "edit"; chain: ChainDetail };

function levelsBody(levels: LevelValues[]) {
  return levels.map((l) => ({
    nameZh: l.nameZh.trim(),
    nameEn: l.nameEn.trim(),
    approverKind: l.approverKind,
    ...(l.approverKind === "role" ? { roleId: l.roleId ?? null } : {}),
    ...(l.approverKind === "department_manager" ? { departmentId: l.departmentId ?? null } : {}),
    ...(l.approverKind === "user" ? { userId: l.userId ?? null } : {}),
    minAmount: l.minAmount?.trim() ? l.minAmount.trim() : null,
    escalateAfterHours: l.escalateAfterHours ?? null,
  }));
}

function ChainDrawer({ editing, onClose }: { editing: Editing | null; onClose: () => void }) {
  const t = useT(wfText);
  const tc = useT(common);
  const { lang } = useLang();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<ChainValues>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const roles = useRoles(editing !== null);
  const docTypes = useDocTypes();
  const docTypeName = useDocTypeName();

  useEffect(() => {
    if (!editing) return;
    renewKey();
    form.resetFields();
    if (editing.mode === "create") {
      form.setFieldsValue({
        distinctApprovers: true,
        active: true,
        levels: [{ nameZh: "部门负责人", nameEn: "Department manager", approverKind: "department_manager", escalateAfterHours: 48 }],
      });
    } else {
      const c = editing.chain;
      form.setFieldsValue({
        docType: c.docType,
        departmentId: c.departmentId,
        nameZh: c.nameZh,
        nameEn: c.nameEn,
        distinctApprovers: c.distinctApprovers,
        active: c.active,
        levels: c.levels.map((l) => ({ ...l, minAmount: l.minAmount ?? undefined })),
      });
    }
  }, [editing, form, renewKey]);

  const submit = async (v: ChainValues) => {
    if (!editing) return;
    setBusy(true);
    try {
      if (editing.mode === "create") {
        await api.post(
          "/api/workflow/chains",
          {
            docType: v.docType.trim(),
            departmentId: v.departmentId ?? null,
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
            distinctApprovers: v.distinctApprovers,
            levels: levelsBody(v.levels ?? []),
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          },
          { idempotencyKey: idemKey() },
        );
        message.success(t("chainSaved", { revision: 1 }));
      } else {
        const saved = await api.patch<{ revision: number }>(
          `/api/workflow/chains/${editing.chain.id}`,
          {
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
            distinctApprovers: v.distinctApprovers,
            active: v.active,
            levels: levelsBody(v.levels ?? []),
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          },
          { version: editing.chain.version },
        );
        message.success(t("chainSaved", { revision: saved.revision }));
      }
      renewKey();
      await qc.invalidateQueries({ queryKey: ["workflow", "chains"] });
      await qc.invalidateQueries({ queryKey: ["workflow", "doc-types"] });
      onClose();
    } catch (e) {
      showError(e, { form, onConflict: () => void qc.invalidateQueries({ queryKey: ["workflow", "chains"] }).then(onClose) });
    } finally {
      setBusy(false);
    }
  };

  const roleOptions = (roles.data ?? []).map((r) => ({ value: r.id, label: `${pickName(lang, r.nameZh, r.nameEn)} (${r.code})` }));
  const kindOptions = [
    { value: "department_manager", label: t("kindDepartmentManager") },
    { value: "superior", label: t("kindSuperior") },
    { value: "role", label: t("kindRole") },
    { value: "user", label: t("kindUser") },
  ];

  return (
    <Drawer
      open={editing !== null}
      title={editing?.mode === "edit" ? t("chainEdit") : t("chainCreate")}
      size={760}
      onClose={onClose}
      destroyOnHidden={false}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="chain-submit">
            {tc("save")}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="chain-form">
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: "0 12px" }}>
          <Form.Item
            name="docType"
            label={t("docType")}
            extra={t("docTypeHint")}
            rules={[
              { required: true, message: tc("required", { field: t("docType") }) },
              { pattern: DOC_TYPE_RE, message: t("docTypeHint") },
            ]}
          >
            <AutoComplete
              disabled={editing?.mode === "edit"}
              options={(docTypes.data ?? []).map((d) => ({ value: d.docType, label: `${docTypeName(d.docType, d.label)} (${d.docType})` }))}
              data-testid="chain-docType"
            />
          </Form.Item>
          {editing?.mode === "edit" ? (
            // The scope is what the chain is: another scope is another chain.
            <Form.Item label={t("chainScope")} extra={t("chainScopeHint")}>
              <Input
                disabled
                value={editing.chain.departmentId ? pickName(lang, editing.chain.departmentNameZh, editing.chain.departmentNameEn) : t("chainScopeAll")}
              />
            </Form.Item>
          ) : (
            <Form.Item name="departmentId" label={t("chainScope")} extra={t("chainScopeHint")}>
              <DeptSelect placeholder={t("chainScopeAll")} testId="chain-department" />
            </Form.Item>
          )}
          <Form.Item name="nameZh" label={tc("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
            <Input maxLength={200} data-testid="chain-nameZh" />
          </Form.Item>
          <Form.Item name="nameEn" label={tc("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
            <Input maxLength={200} data-testid="chain-nameEn" />
          </Form.Item>
          <Form.Item name="distinctApprovers" label={t("chainDistinct")} extra={t("chainDistinctHint")} valuePropName="checked">
            <Switch />
          </Form.Item>
          {editing?.mode === "edit" && (
            <Form.Item name="active" label={t("chainActive")} valuePropName="checked">
              <Switch data-testid="chain-active" />
            </Form.Item>
          )}
        </div>
        <Typography.Title level={5}>{t("chainLevels")}</Typography.Title>
        <Form.List name="levels">
          {(fields, { add, remove, move }) => (
            <Space orientation="vertical" style={{ width: "100%" }} size={8}>
              {fields.map((f, i) => (
                <Card
                  key={f.key}
                  size="small"
                  title={t("levelN", { n: i + 1 })}
                  data-testid={`chain-level-${i}`}
                  extra={
                    <Space size={0}>
                      <Tooltip title={t("moveUp")}>
                        <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} />
                      </Tooltip>
                      <Tooltip title={t("moveDown")}>
                        <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} />
                      </Tooltip>
                      <Tooltip title={t("removeLevel")}>
                        <Button type="text" size="small" danger icon={<DeleteOutlined />} disabled={fields.length <= 1} onClick={() => remove(f.name)} />
                      </Tooltip>
                    </Space>
                  }
                >
                  <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: "0 12px" }}>
                    <Form.Item name={[f.name, "nameZh"]} label={`${t("levelName")}（中文）`} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("levelName") }) }]}>
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item name={[f.name, "nameEn"]} label={`${t("levelName")} (English)`} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("levelName") }) }]}>
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item name={[f.name, "approverKind"]} label={t("approverKind")} rules={[{ required: true }]} style={{ gridColumn: "1 / span 2" }}>
                      <Select options={kindOptions} data-testid={`chain-level-${i}-kind`} />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate={(a, b) => a.levels?.[f.name]?.approverKind !== b.levels?.[f.name]?.approverKind}>
                      {({ getFieldValue }) => {
                        const kind = getFieldValue(["levels", f.name, "approverKind"]) as ApproverKind;
                        if (kind === "role")
                          return (
                            <Form.Item name={[f.name, "roleId"]} label={t("role")} rules={[{ required: true, message: tc("required", { field: t("role") }) }]} style={{ gridColumn: "1 / span 2" }}>
                              <Select options={roleOptions} loading={roles.isLoading} showSearch={{ optionFilterProp: "label" }} data-testid={`chain-level-${i}-role`} />
                            </Form.Item>
                          );
                        if (kind === "department_manager")
                          return (
                            <Form.Item name={[f.name, "departmentId"]} label={t("fixedDepartment")} style={{ gridColumn: "1 / span 2" }}>
                              <DeptSelect testId={`chain-level-${i}-department`} />
                            </Form.Item>
                          );
                        if (kind === "user")
                          return (
                            <Form.Item name={[f.name, "userId"]} label={t("person")} rules={[{ required: true, message: t("personRequired") }]} style={{ gridColumn: "1 / span 2" }}>
                              <PersonSelect placeholder={t("personSearch")} initialLabel={getFieldValue(["levels", f.name, "userName"]) ?? undefined} testId={`chain-level-${i}-user`} />
                            </Form.Item>
                          );
                        return null;
                      }}
                    </Form.Item>
                    <Form.Item
                      name={[f.name, "minAmount"]}
                      label={t("minAmount")}
                      extra={t("minAmountHint")}
                      rules={[{ pattern: DECIMAL_RE, message: t("minAmountHint") }]}
                    >
                      <Input inputMode="decimal" placeholder="10000" data-testid={`chain-level-${i}-minAmount`} />
                    </Form.Item>
                    <Form.Item name={[f.name, "escalateAfterHours"]} label={t("escalateHours")}>
                      <InputNumber min={1} max={720} precision={0} style={{ width: "100%" }} />
                    </Form.Item>
                  </div>
                </Card>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                disabled={fields.length >= 10}
                onClick={() => add({ nameZh: "", nameEn: "", approverKind: "department_manager" })}
                data-testid="chain-add-level"
              >
                {t("addLevel")}
              </Button>
            </Space>
          )}
        </Form.List>
        <Form.Item name="note" label={t("chainNote")} style={{ marginTop: 12 }}>
          <Input maxLength={500} data-testid="chain-note" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function RevisionsModal({ chain, onClose }: { chain: ChainDetail | null; onClose: () => void }) {
  const t = useT(wfText);
  const tc = useT(common);
  const { lang } = useLang();
  return (
    <Modal open={chain !== null} title={t("chainRevisions")} onCancel={onClose} footer={<Button onClick={onClose}>{tc("close")}</Button>} width={720}>
      {chain && (
        <Timeline
          data-testid="chain-revisions"
          items={chain.revisions.map((r) => ({
            key: r.revision,
            content: (
              <div>
                <Space>
                  <Tag color="blue">{`${t("revisionCol")} ${r.revision}`}</Tag>
                  <Typography.Text type="secondary">{t("revisionBy", { name: r.changedByName, time: formatDateTime(r.changedAt) })}</Typography.Text>
                </Space>
                {r.note && <div>{r.note}</div>}
                <ol style={{ margin: "4px 0 0", paddingInlineStart: 20 }}>
                  {r.definition.levels.map((l) => (
                    <li key={l.level}>
                      {pickName(lang, l.nameZh, l.nameEn)}
                      {l.minAmount && <Typography.Text type="secondary"> · ≥ {formatAmount(l.minAmount)}</Typography.Text>}
                    </li>
                  ))}
                </ol>
              </div>
            ),
          }))}
        />
      )}
    </Modal>
  );
}

export default function ChainsPage() {
  const t = useT(wfText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const showError = useApiError();
  const docTypeName = useDocTypeName();
  const canEdit = can("workflow.chain.edit");
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [revisions, setRevisions] = useState<ChainDetail | null>(null);
  const [expanded, setExpanded] = useState<number[]>([]);
  const { data, isLoading } = useQuery({
    queryKey: ["workflow", "chains", "list", page],
    queryFn: () => api.get<Page<ChainRow>>("/api/workflow/chains", { page, pageSize: 50 }),
    placeholderData: keepPreviousData,
  });

  const load = async (id: number) => {
    try {
      return await api.get<ChainDetail>(`/api/workflow/chains/${id}`);
    } catch (e) {
      showError(e);
      return null;
    }
  };

  return (
    <>
      <PageHeader
        title={t("chainsTitle")}
        extra={
          canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: "create" })} data-testid="chain-create">
              {t("chainCreate")}
            </Button>
          )
        }
      />
      <Alert type="info" showIcon title={t("chainsIntro")} style={{ marginBottom: 12 }} />
      <Card size="small">
        <Table<ChainRow>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data?.items ?? []}
          data-testid="chains-table"
          pagination={{ current: page, pageSize: 50, total: data?.total ?? 0, onChange: setPage, showTotal: (total) => tc("total", { total }) }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: (keys) => setExpanded(keys as number[]),
            expandedRowRender: (r) => <ChainLevels id={r.id} />,
          }}
          columns={[
            {
              title: t("docType"),
              dataIndex: "docType",
              width: 200,
              render: (v: string) => (
                <Space orientation="vertical" size={0}>
                  <span data-testid={`chain-row-${v}`}>{docTypeName(v)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} code>
                    {v}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t("chainName"), dataIndex: "nameZh", render: (_, r) => pickName(lang, r.nameZh, r.nameEn) },
            { title: t("chainScope"), dataIndex: "departmentId", width: 160, render: (_, r) => (r.departmentId ? pickName(lang, r.departmentNameZh, r.departmentNameEn) : t("chainScopeAll")) },
            { title: t("chainLevels"), dataIndex: "levelCount", width: 80, align: "right" },
            { title: t("revisionCol"), dataIndex: "revision", width: 80, align: "right" },
            { title: t("chainOpen"), dataIndex: "openRequests", width: 90, align: "right" },
            {
              title: t("status"),
              dataIndex: "active",
              width: 90,
              render: (v: boolean) => <Tag color={v ? "green" : "default"}>{v ? tc("active") : tc("inactive")}</Tag>,
            },
            {
              title: tc("actions"),
              key: "actions",
              width: 200,
              render: (_, r) => (
                <Space size={4}>
                  {canEdit && (
                    <Button
                      size="small"
                      icon={<EditOutlined />}
                      onClick={async () => {
                        const c = await load(r.id);
                        if (c) setEditing({ mode: "edit", chain: c });
                      }}
                      data-testid={`chain-edit-${r.docType}`}
                    >
                      {tc("edit")}
                    </Button>
                  )}
                  <Button
                    size="small"
                    icon={<HistoryOutlined />}
                    onClick={async () => {
                      const c = await load(r.id);
                      if (c) setRevisions(c);
                    }}
                  >
                    {t("chainRevisions")}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <ChainDrawer editing={editing} onClose={() => setEditing(null)} />
      <RevisionsModal chain={revisions} onClose={() => setRevisions(null)} />
    </>
  );
}

function ChainLevels({ id }: { id: number }) {
  const t = useT(wfText);
  const { lang } = useLang();
  const { data } = useQuery({ queryKey: ["workflow", "chains", "detail", id], queryFn: () => api.get<ChainDetail>(`/api/workflow/chains/${id}`) });
  if (!data) return null;
  return (
    <ol style={{ margin: 0, paddingInlineStart: 20 }} data-testid={`chain-levels-${id}`}>
      {data.levels.map((l: ChainLevel) => (
        <li key={l.level}>
          <strong>{pickName(lang, l.nameZh, l.nameEn)}</strong>
          <Typography.Text type="secondary">
            {" · "}
            {approverRule({ ...l, roleCode: null, departmentNameZh: l.departmentNameZh ?? null, departmentNameEn: l.departmentNameEn ?? null, roleNameZh: l.roleNameZh ?? null, roleNameEn: l.roleNameEn ?? null, userName: l.userName ?? null }, t, lang)}
            {l.minAmount && ` · ${t("threshold", { amount: formatAmount(l.minAmount) })}`}
            {l.escalateAfterHours && ` · ${t("escalateAfter", { hours: l.escalateAfterHours })}`}
          </Typography.Text>
        </li>
      ))}
    </ol>
  );
}
