import { CheckCircleOutlined, CopyOutlined, DeleteOutlined, PlusOutlined, SaveOutlined, StopOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  type DescriptionsProps,
  Form,
  type FormListFieldData,
  type FormRule,
  Input,
  InputNumber,
  List,
  Modal,
  Result,
  Row,
  Skeleton,
  Space,
  Table,
  type TableColumnType,
  Tooltip,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { type ReactNode, useEffect, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { ApiError, api } from "../../../api/client";
import { useApiError } from "../../../api/errors";
import { useAuth } from "../../../auth/AuthProvider";
import { PageHeader } from "../../../components/PageHeader";
import { formatDateTime } from "../../../components/format";
import { useIdempotencyKey } from "../../../components/hooks";
import { common } from "../../../i18n/common";
import { useT } from "../../../i18n/core";
import type { ReleaseStatus, VersionRef } from "./api";
import { type EngKey, engText } from "./i18n";
import { decimalRule, EffectiveRange, ItemSelect, StatusTag } from "./parts";

// BOMs and routings are both versioned engineering documents (draft → active → obsolete, one row per
// version of an item). Their editors share the lifecycle, the page's header, form and cards, and the
// editor of a version's rows here; what a version holds (its quantity, its rows' fields) stays in each
// page. The lists of versions share theirs in versionedList.tsx.

/** Which document: its permissions (`masterdata.bom.edit`), API path (`/api/masterdata/boms`) and test ids (`bom-…`). */
export type DocumentKind = "bom" | "routing";

/** What the lifecycle needs of a version's detail. */
export interface VersionedDoc {
  id: number;
  itemCode: string;
  versionCode: string;
  status: ReleaseStatus;
  version: number;
  activatedAt: string | null;
  activatedBy: string | null;
  obsoletedAt: string | null;
  obsoletedBy: string | null;
  updatedAt: string;
  versions: VersionRef[];
}

export const VERSION_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$/;
export const day = (d: Dayjs | null | undefined) => (d ? d.format("YYYY-MM-DD") : null);
export const toDay = (s: string | null | undefined) => (s ? dayjs(s) : null);

export const listPath = (kind: DocumentKind) => `/api/masterdata/${kind}s`;

/** The header every version has, as its form holds it; each editor adds its quantity and its rows. */
export interface VersionHeaderValues {
  itemId?: number;
  versionCode: string;
  description?: string | null;
  effectiveFrom: Dayjs;
  effectiveTo?: Dayjs | null;
  notes?: string | null;
}

/** What the editor reads of a version beyond its lifecycle. */
interface EditableDoc extends VersionedDoc {
  itemId: number;
  description: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  notes: string | null;
}

/**
 * The state of a version editor (`/masterdata/{kind}s/:id`, or `new` with `?itemId=`): the version
 * loaded, its form filled in (`fill` adds the kind's fields; `blank` the defaults of a new one), dirty
 * tracking, and saving — create (idempotent, then to the new version's page) or update (with its
 * version for optimistic locking). `body` gives the kind's fields of the request beside the header.
 * Version codes start with `codePrefix` (V1, V2… for BOMs): a new item's first is `${codePrefix}1`.
 */
export function useVersionedEditor<D extends EditableDoc, V extends VersionHeaderValues>(
  kind: DocumentKind,
  opts: { codePrefix: string; blank: Partial<V>; fill: (doc: D) => Partial<V>; body: (v: V) => Record<string, unknown> },
) {
  const { id: idParam } = useParams();
  const [search] = useSearchParams();
  const isNew = idParam === "new";
  const id = isNew ? null : Number(idParam);
  const tc = useT(common);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const detail = useQuery({
    queryKey: ["masterdata", `${kind}s`, id],
    queryFn: () => api.get<D>(`${listPath(kind)}/${id}`),
    enabled: id !== null && Number.isInteger(id),
  });
  const doc = detail.data;
  const { codePrefix, blank, fill, body } = opts;

  // biome-ignore lint/correctness/useExhaustiveDependencies: filled when the version (or "new") changes, not when the page re-renders its callbacks
  useEffect(() => {
    if (!isNew && !doc) return;
    form.resetFields();
    const values = isNew
      ? { itemId: Number(search.get("itemId")) || undefined, versionCode: `${codePrefix}1`, effectiveFrom: dayjs(), ...blank }
      : {
          itemId: doc!.itemId,
          versionCode: doc!.versionCode,
          description: doc!.description,
          effectiveFrom: dayjs(doc!.effectiveFrom),
          effectiveTo: toDay(doc!.effectiveTo),
          notes: doc!.notes,
          ...fill(doc!),
        };
    form.setFieldsValue(values as Parameters<typeof form.setFieldsValue>[0]);
    setDirty(false);
  }, [isNew, doc, form, search]);

  const save = async (v: V) => {
    setBusy(true);
    const header = {
      versionCode: v.versionCode,
      description: v.description?.trim() || null,
      effectiveFrom: day(v.effectiveFrom)!,
      effectiveTo: day(v.effectiveTo),
      notes: v.notes?.trim() || null,
      ...body(v),
    };
    const refresh = () => qc.invalidateQueries({ queryKey: ["masterdata", `${kind}s`] });
    try {
      if (isNew) {
        const created = await api.post<{ id: number }>(listPath(kind), { itemId: v.itemId, ...header }, { idempotencyKey: idemKey() });
        renewKey();
        message.success(tc("created"));
        await refresh();
        navigate(`/masterdata/${kind}s/${created.id}`, { replace: true });
      } else if (doc) {
        await api.patch(`${listPath(kind)}/${doc.id}`, header, { version: doc.version });
        message.success(tc("saved"));
        await refresh();
      }
      setDirty(false);
    } catch (e) {
      showError(e, { form, onConflict: () => void detail.refetch() });
    } finally {
      setBusy(false);
    }
  };

  return { kind, codePrefix, isNew, form, detail, doc, busy, dirty, setDirty, save };
}

/** What the editor's header and form use of `useVersionedEditor`. */
export type VersionEditor<V extends VersionHeaderValues> = Pick<
  ReturnType<typeof useVersionedEditor<EditableDoc, V>>,
  "kind" | "codePrefix" | "isNew" | "form" | "detail" | "doc" | "busy" | "dirty" | "setDirty" | "save"
>;

/** The skeleton while a version loads, a 404 or error page if it does not; null once it is there. */
export function LoadingOrMissing({ kind, detail, notFoundTitle }: { kind: DocumentKind; detail: { isLoading: boolean; error: unknown; data?: unknown }; notFoundTitle: string }) {
  const tc = useT(common);
  const navigate = useNavigate();
  if (detail.isLoading || (!detail.data && !detail.error)) return <Skeleton active />;
  const notFound = detail.error instanceof ApiError && detail.error.status === 404;
  return (
    <Result
      status={notFound ? "404" : "error"}
      title={notFound ? notFoundTitle : tc("loadFailed")}
      extra={<Button onClick={() => navigate(`/masterdata/${kind}s`)}>{tc("back")}</Button>}
    />
  );
}

/**
 * Activate, obsolete and delete, each behind its confirmation. Activation offers to supersede when
 * another version is active; `onDeleted` says where to go once the draft is gone.
 */
function useLifecycleActions(kind: DocumentKind, doc: VersionedDoc | undefined, refetch: () => void, onDeleted: (doc: VersionedDoc) => void) {
  const t = useT(engText);
  const tc = useT(common);
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  return (action: "activate" | "obsolete" | "delete") => {
    if (!doc) return;
    let supersede = false;
    const texts = {
      activate: { title: t("activateTitle", { version: doc.versionCode }), text: t("activateText"), ok: t("activate") },
      obsolete: { title: t("obsoleteTitle", { version: doc.versionCode }), text: t("obsoleteText"), ok: t("obsolete") },
      delete: { title: t("deleteTitle", { version: doc.versionCode }), text: t("deleteText"), ok: tc("remove") },
    }[action];
    modal.confirm({
      title: texts.title,
      width: 520,
      content: (
        <Space orientation="vertical">
          <Typography.Text>{texts.text}</Typography.Text>
          {action === "activate" && doc.versions.some((v) => v.status === "active" && v.id !== doc.id) && (
            <Checkbox onChange={(e) => (supersede = e.target.checked)} data-testid={`${kind}-supersede`}>
              {t("supersede")}
            </Checkbox>
          )}
        </Space>
      ),
      okText: texts.ok,
      okButtonProps: { danger: action !== "activate", "data-testid": `${kind}-${action}-confirm` },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          if (action === "delete") {
            await api.delete(`${listPath(kind)}/${doc.id}`, { version: doc.version });
            message.success(t("deleted"));
            await qc.invalidateQueries({ queryKey: ["masterdata", `${kind}s`] });
            onDeleted(doc);
            return;
          }
          await api.post(`${listPath(kind)}/${doc.id}/${action}`, action === "activate" ? { version: doc.version, supersede } : { version: doc.version });
          message.success(action === "activate" ? t("activated") : t("obsoleted"));
          await qc.invalidateQueries({ queryKey: ["masterdata", `${kind}s`] });
        } catch (e) {
          showError(e, { onConflict: refetch });
        }
      },
    });
  };
}

/** The page header's lifecycle buttons, each shown only in the status and to the permission it needs. */
function LifecycleButtons(props: {
  kind: DocumentKind;
  doc: VersionedDoc | undefined;
  editable: boolean;
  dirty: boolean;
  busy: boolean;
  onCopy: () => void;
  onAction: (action: "activate" | "obsolete" | "delete") => void;
  onSave: () => void;
}) {
  const { kind, doc, editable, dirty, busy, onCopy, onAction, onSave } = props;
  const t = useT(engText);
  const tc = useT(common);
  const { can } = useAuth();
  const mayEdit = can(`masterdata.${kind}.edit`);
  const mayRelease = can(`masterdata.${kind}.release`);
  return (
    <>
      {doc && mayEdit && (
        <Button icon={<CopyOutlined />} onClick={onCopy} data-testid={`${kind}-copy`}>
          {t("copyVersion")}
        </Button>
      )}
      {doc?.status === "draft" && mayEdit && (
        <Button danger icon={<DeleteOutlined />} onClick={() => onAction("delete")} data-testid={`${kind}-delete`}>
          {t("deleteDraft")}
        </Button>
      )}
      {doc?.status === "active" && mayRelease && (
        <Button danger icon={<StopOutlined />} onClick={() => onAction("obsolete")} data-testid={`${kind}-obsolete`}>
          {t("obsolete")}
        </Button>
      )}
      {doc?.status === "draft" && mayRelease && (
        // Activation releases what is saved: unsaved edits first.
        <Tooltip title={dirty ? t("unsaved") : undefined}>
          <Button icon={<CheckCircleOutlined />} onClick={() => onAction("activate")} disabled={dirty} data-testid={`${kind}-activate`}>
            {t("activate")}
          </Button>
        </Tooltip>
      )}
      {editable && (
        <Button type="primary" icon={<SaveOutlined />} loading={busy} onClick={onSave} data-testid={`${kind}-save`}>
          {tc("save")}
        </Button>
      )}
    </>
  );
}

/**
 * The editor's page header: title and status, back to the list, the page's own buttons (`extra`) before
 * the lifecycle's, and the copy dialog its copy button opens. A deleted draft leads to
 * `pathAfterDelete` (by default the list).
 */
export function VersionEditorHeader<V extends VersionHeaderValues>(props: {
  editor: VersionEditor<V>;
  editable: boolean;
  title: string;
  extra?: ReactNode;
  pathAfterDelete?: (deleted: VersionedDoc) => string;
}) {
  const { editor, editable, title, extra, pathAfterDelete } = props;
  const { kind, codePrefix, doc } = editor;
  const navigate = useNavigate();
  const [copying, setCopying] = useState(false);
  const listPage = `/masterdata/${kind}s`;
  const confirmAction = useLifecycleActions(kind, doc, () => void editor.detail.refetch(), (deleted) => {
    navigate(pathAfterDelete?.(deleted) ?? listPage, { replace: true });
  });
  return (
    <>
      <PageHeader
        title={title}
        onBack={() => navigate(listPage)}
        sub={doc && <StatusTag status={doc.status} />}
        extra={
          <>
            {extra}
            <LifecycleButtons kind={kind} doc={doc} editable={editable} dirty={editor.dirty} busy={editor.busy} onCopy={() => setCopying(true)} onAction={confirmAction} onSave={() => editor.form.submit()} />
          </>
        }
      />
      {doc && <CopyVersionModal kind={kind} codePrefix={codePrefix} open={copying} doc={doc} onClose={() => setCopying(false)} />}
    </>
  );
}

/** The document's own quantity in the header (a BOM's base quantity, a routing's lot size). */
export interface QuantityField {
  name: string;
  label: string;
  hint: string;
  testId: string;
}

/**
 * The header fields every version has, around the document's own quantity: item, version code,
 * quantity, effective dates, description, notes.
 */
function VersionHeaderFields({ kind, isNew, quantity }: { kind: DocumentKind; isNew: boolean; quantity: QuantityField }) {
  const t = useT(engText);
  const tc = useT(common);
  return (
    <>
      <Col xs={24} md={12} lg={8}>
        <Form.Item name="itemId" label={t("item")} rules={[{ required: true, message: tc("required", { field: t("item") }) }]}>
          <ItemSelect disabled={!isNew} testId={`${kind}-item`} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6} lg={3}>
        <Form.Item
          name="versionCode"
          label={t("versionCode")}
          rules={[{ required: true, message: tc("required", { field: t("versionCode") }) }, { pattern: VERSION_RE, message: "A-Z a-z 0-9 . _ -" }]}
        >
          <Input maxLength={16} data-testid={`${kind}-version`} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6} lg={4}>
        <Form.Item name={quantity.name} label={quantity.label} tooltip={quantity.hint} rules={[{ required: true }, decimalRule(12, 6, "0.000001 – 999999999999")]}>
          <InputNumber stringMode min="0" style={{ width: "100%" }} data-testid={quantity.testId} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6} lg={4}>
        <Form.Item name="effectiveFrom" label={t("effectiveFrom")} rules={[{ required: true, message: tc("required", { field: t("effectiveFrom") }) }]}>
          <DatePicker style={{ width: "100%" }} allowClear={false} data-testid={`${kind}-from`} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6} lg={5}>
        <Form.Item name="effectiveTo" label={t("effectiveTo")}>
          <DatePicker style={{ width: "100%" }} placeholder={t("openEnded")} data-testid={`${kind}-to`} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="description" label={t("description")}>
          <Input maxLength={500} data-testid={`${kind}-description`} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="notes" label={t("notes")}>
          <Input maxLength={2000} data-testid={`${kind}-notes`} />
        </Form.Item>
      </Col>
    </>
  );
}

/**
 * The version's form: the header card, then the version's rows in a card of their own — `rows.editor`
 * inside the form while it is editable, otherwise `rows.table` after it, outside the (disabled) form so
 * tags and links keep their colours.
 */
export function VersionForm<V extends VersionHeaderValues>(props: {
  editor: VersionEditor<V>;
  editable: boolean;
  quantity: QuantityField;
  rows: { title: string; extra?: ReactNode; editor: ReactNode; table: ReactNode };
}) {
  const { editor, editable, quantity, rows } = props;
  const { kind } = editor;
  const t = useT(engText);
  const rowsCard = (children: ReactNode) => (
    <Card size="small" title={rows.title} extra={rows.extra}>
      {children}
    </Card>
  );
  return (
    <>
      <Form form={editor.form} layout="vertical" onFinish={editor.save} onValuesChange={() => editor.setDirty(true)} disabled={!editable} data-testid={`${kind}-form`}>
        <Card size="small" title={t("bomHeader")} style={{ marginBottom: 12 }}>
          <Row gutter={12}>
            <VersionHeaderFields kind={kind} isNew={editor.isNew} quantity={quantity} />
          </Row>
        </Card>
        {editable && rowsCard(rows.editor)}
      </Form>
      {!editable && rows.table && rowsCard(rows.table)}
    </>
  );
}

/**
 * How a kind's rows (a BOM's lines, a routing's operations) are called: the form's list; the field that
 * numbers them (also its column's title), that column's width and the highest number; the prefix of each
 * row's test ids (`line-0-qty`); the editor's and its add button's test ids; the texts.
 */
interface RowsNaming {
  list: string;
  number: EngKey;
  numberWidth: number;
  numberMax: number;
  rowTestId: string;
  testId: string;
  addTestId: string;
  add: EngKey;
  remove: EngKey;
  empty: EngKey;
}

const ROWS: Record<DocumentKind, RowsNaming> = {
  bom: { list: "lines", number: "position", numberWidth: 80, numberMax: 99999, rowTestId: "line", testId: "bom-lines-editor", addTestId: "bom-add-line", add: "addLine", remove: "removeLine", empty: "noLines" },
  routing: { list: "operations", number: "seq", numberWidth: 76, numberMax: 9999, rowTestId: "op", testId: "routing-ops-editor", addTestId: "routing-add-op", add: "addOperation", remove: "removeOperation", empty: "noOperations" },
};

/**
 * A column of the rows editor: one field of the row (`field`) with its rules, and the input for it,
 * given the row's index. With `dependsOn` (another field of the same row, such as the component whose
 * units a line may use), the input is given that field's value and redrawn when it changes.
 */
export interface RowField<Row> extends Omit<TableColumnType<FormListFieldData>, "render"> {
  field: keyof Row & string;
  rules?: FormRule[];
  valuePropName?: string;
  dependsOn?: keyof Row & string;
  input: (row: number, dependency?: unknown) => ReactNode;
}

/**
 * The editor of a draft's rows: a table of inputs — the row's number, then `columns` — with a remove
 * button each, and a button that adds `newRow(number)`.
 */
export function RowsEditor<Row>({ kind, scrollX, columns, newRow }: { kind: DocumentKind; scrollX: number; columns: RowField<Row>[]; newRow: (number: number) => Row }) {
  const t = useT(engText);
  const rows = ROWS[kind];
  const { list, number } = rows;
  const column = ({ field, rules, valuePropName, dependsOn, input, ...col }: RowField<Row>): TableColumnType<FormListFieldData> => ({
    ...col,
    render: (_, f) => {
      const item = (dependency?: unknown) => (
        <Form.Item name={[f.name, field]} valuePropName={valuePropName} style={{ margin: 0 }} rules={rules}>
          {input(f.name, dependency)}
        </Form.Item>
      );
      if (!dependsOn) return item();
      return (
        <Form.Item noStyle shouldUpdate={(a, b) => a[list]?.[f.name]?.[dependsOn] !== b[list]?.[f.name]?.[dependsOn]}>
          {({ getFieldValue }) => item(getFieldValue([list, f.name, dependsOn]))}
        </Form.Item>
      );
    },
  });
  return (
    <Form.List name={list}>
      {(fields, { add, remove }) => (
        <>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={fields}
            data-testid={rows.testId}
            scroll={{ x: scrollX }}
            locale={{ emptyText: t(rows.empty) }}
            columns={[
              {
                title: t(number),
                width: rows.numberWidth,
                render: (_, f) => (
                  <Form.Item name={[f.name, number]} style={{ margin: 0 }} rules={[{ required: true, message: t(number) }]}>
                    <InputNumber min={1} max={rows.numberMax} precision={0} style={{ width: "100%" }} data-testid={`${rows.rowTestId}-${f.name}-${number}`} />
                  </Form.Item>
                ),
              },
              ...columns.map(column),
              {
                title: "",
                width: 44,
                fixed: "right",
                render: (_, f) => (
                  <Tooltip title={t(rows.remove)}>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} data-testid={`${rows.rowTestId}-${f.name}-remove`} />
                  </Tooltip>
                ),
              },
            ]}
          />
          <Form.Item noStyle shouldUpdate>
            {({ getFieldValue }) => (
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                block
                style={{ marginTop: 8 }}
                data-testid={rows.addTestId}
                onClick={() => {
                  const existing = (getFieldValue(list) as Record<string, number | undefined>[] | undefined) ?? [];
                  add(newRow(Math.max(0, ...existing.map((r) => r?.[number] ?? 0)) + 10));
                }}
              >
                {t(rows.add)}
              </Button>
            )}
          </Form.Item>
        </>
      )}
    </Form.List>
  );
}

/**
 * The item's versions, the one shown highlighted. `stacked` puts the dates under the code (a narrow
 * side column); otherwise they follow on the same line.
 */
export function VersionList({ kind, doc, stacked }: { kind: DocumentKind; doc: VersionedDoc; stacked?: boolean }) {
  return (
    <List
      size="small"
      dataSource={doc.versions}
      renderItem={(v) => {
        const code = (
          <Link to={`/masterdata/${kind}s/${v.id}`} data-testid={`${kind}-version-${v.versionCode}`}>
            <b>{v.versionCode}</b>
          </Link>
        );
        return (
          <List.Item style={{ background: v.id === doc.id ? "#f0f5ff" : undefined, paddingInline: 8 }}>
            {stacked ? (
              <Space orientation="vertical" size={0}>
                <Space size={6}>
                  {code}
                  <StatusTag status={v.status} />
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  <EffectiveRange from={v.effectiveFrom} to={v.effectiveTo} />
                </Typography.Text>
              </Space>
            ) : (
              <Space size={8}>
                {code}
                <StatusTag status={v.status} />
                <Typography.Text type="secondary">
                  <EffectiveRange from={v.effectiveFrom} to={v.effectiveTo} />
                </Typography.Text>
              </Space>
            )}
          </List.Item>
        );
      }}
    />
  );
}

/** Who released or retired the version, and when it last changed: the tail of the details card. */
function releaseDetails(t: (k: EngKey) => string, doc: VersionedDoc) {
  return [
    ...(doc.activatedAt ? [{ key: "activated", label: t("activatedAt"), children: `${formatDateTime(doc.activatedAt)} · ${doc.activatedBy ?? "system"}` }] : []),
    ...(doc.obsoletedAt ? [{ key: "obsoleted", label: t("obsoletedAt"), children: `${formatDateTime(doc.obsoletedAt)} · ${doc.obsoletedBy ?? "system"}` }] : []),
    { key: "updated", label: t("updatedAt"), children: formatDateTime(doc.updatedAt) },
  ];
}

/** The details card: what the page tells of the item (`items`), then the release details. */
export function VersionDetailsCard({ doc, items }: { doc: VersionedDoc; items: NonNullable<DescriptionsProps["items"]> }) {
  const t = useT(engText);
  const tc = useT(common);
  return (
    <Card size="small" title={tc("details")}>
      <Descriptions column={1} size="small" items={[...items, ...releaseDetails(t, doc)]} />
    </Card>
  );
}

/** A new draft from this version: asks for its code (V2, R2… by default) and first day (tomorrow). */
function CopyVersionModal({ kind, codePrefix, open, doc, onClose }: { kind: DocumentKind; codePrefix: string; open: boolean; doc: VersionedDoc; onClose: () => void }) {
  const t = useT(engText);
  const tc = useT(common);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ versionCode: string; effectiveFrom: Dayjs }>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  useEffect(() => {
    if (!open) return;
    renewKey();
    form.setFieldsValue({ versionCode: `${codePrefix}${doc.versions.length + 1}`, effectiveFrom: dayjs().add(1, "day") });
  }, [open, doc, codePrefix, form, renewKey]);
  const submit = async (v: { versionCode: string; effectiveFrom: Dayjs }) => {
    setBusy(true);
    try {
      const created = await api.post<{ id: number }>(
        `${listPath(kind)}/${doc.id}/copy`,
        { versionCode: v.versionCode, effectiveFrom: v.effectiveFrom.format("YYYY-MM-DD") },
        { idempotencyKey: idemKey() },
      );
      renewKey();
      message.success(t("copied"));
      await qc.invalidateQueries({ queryKey: ["masterdata", `${kind}s`] });
      onClose();
      navigate(`/masterdata/${kind}s/${created.id}`);
    } catch (e) {
      showError(e, { form });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("copyTitle", { name: `${doc.itemCode} ${doc.versionCode}` })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": `${kind}-copy-submit` }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="versionCode" label={t("newVersionCode")} rules={[{ required: true }, { pattern: VERSION_RE, message: "A-Z a-z 0-9 . _ -" }]}>
          <Input maxLength={16} data-testid={`${kind}-copy-version`} />
        </Form.Item>
        <Form.Item name="effectiveFrom" label={t("effectiveFrom")} rules={[{ required: true }]}>
          <DatePicker style={{ width: "100%" }} allowClear={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
