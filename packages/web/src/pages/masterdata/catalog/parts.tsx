import { DeleteOutlined, DownloadOutlined, EditOutlined, EyeOutlined, FileExcelOutlined, FileTextOutlined, InboxOutlined, PlusOutlined, SwapOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Descriptions, type DescriptionsProps, Empty, Input, Result, Select, Space, Table, Tag, Tooltip, Typography, Upload } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useMemo, useState } from "react";
import { useNavigate } from "react-router-dom";
import { ApiError, api, type Page } from "../../../api/client";
import { useApiError } from "../../../api/errors";
import { useAuth } from "../../../auth/AuthProvider";
import { formatBytes, formatDateTime } from "../../../components/format";
import { useDebounced } from "../../../components/hooks";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import { type Attachment, type ItemRow, MD, type PartnerRow, type SupplierItem, type Uom, downloadFile, postForm } from "./api";
import { type CatKey, catText } from "./i18n";

export const P = {
  uomRead: "masterdata.uom.read",
  uomEdit: "masterdata.uom.edit",
  itemRead: "masterdata.item.read",
  itemEdit: "masterdata.item.edit",
  itemCost: "masterdata.item.cost.read",
  whRead: "masterdata.warehouse.read",
  whEdit: "masterdata.warehouse.edit",
  partnerRead: "masterdata.partner.read",
  partnerEdit: "masterdata.partner.edit",
  bank: "masterdata.partner.bank.read",
  siRead: "masterdata.supplier_item.read",
  siEdit: "masterdata.supplier_item.edit",
  price: "masterdata.supplier_item.price.read",
  importRun: "masterdata.import.run",
  export: "masterdata.export",
} as const;

/** The label of an enumerated value: `prefix_value` in the dictionary ("-" becomes "_"). */
export function useEnum() {
  const t = useT(catText);
  return (prefix: string, value: string | null | undefined) => (value ? t(`${prefix}_${value.replace(/-/g, "_")}` as CatKey) : "—");
}

/** The texts of a catalog screen: its dictionary (`t`), the common one (`tc`), enum labels and the language. */
export function useCatalogText() {
  const t = useT(catText);
  const tc = useT(common);
  const label = useEnum();
  const { lang } = useLang();
  return { t, tc, label, lang };
}

/** A page's "create" button, in its header. */
export function CreateButton({ label, onClick, testId }: { label: string; onClick: () => void; testId: string }) {
  return (
    <Button type="primary" icon={<PlusOutlined />} onClick={onClick} data-testid={testId}>
      {label}
    </Button>
  );
}

/** The edit and delete buttons of a table row (the actions column editors see). */
export function EditDeleteButtons({ onEdit, onDelete, editTestId }: { onEdit: () => void; onDelete: () => void; editTestId: string }) {
  const { t, tc } = useCatalogText();
  return (
    <Space size={4}>
      <Button size="small" icon={<EditOutlined />} onClick={onEdit} aria-label={tc("edit")} data-testid={editTestId} />
      <Button size="small" danger icon={<DeleteOutlined />} onClick={onDelete} aria-label={t("delete")} />
    </Space>
  );
}

/**
 * Asks before deleting a record, deletes it and says so; `onDeleted` then reloads (and leaves a deleted
 * record's page). A refusal (the record is in use) is shown as the server words it.
 */
export function useConfirmDelete() {
  const { t, tc } = useCatalogText();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  return (r: { name: string; path: string; confirmTestId?: string; onDeleted: () => Promise<unknown> }) =>
    modal.confirm({
      title: t("deleteTitle", { name: r.name }),
      content: t("deleteText"),
      okText: t("delete"),
      okButtonProps: { danger: true, ...(r.confirmTestId ? { "data-testid": r.confirmTestId } : {}) },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          await api.delete(r.path);
          message.success(t("deleted"));
          await r.onDeleted();
        } catch (e) {
          showError(e);
        }
      },
    });
}

/** A record's page when the record is not there (deleted, or a wrong link): the server's reason and a way back. */
export function RecordNotFound({ title, error, backTo }: { title: string; error: unknown; backTo: string }) {
  const tc = useT(common);
  const navigate = useNavigate();
  return <Result status="404" title={title} subTitle={error instanceof ApiError ? error.detail : undefined} extra={<Button onClick={() => navigate(backTo)}>{tc("back")}</Button>} />;
}

/** The fields of a record's tab: a bordered list, in two columns on wide screens. */
export function RecordFields({ items }: { items: DescriptionsProps["items"] }) {
  return <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={items} />;
}

/**
 * A record's supplier prices (an item's suppliers, or a supplier's items): the create button when
 * `canCreate`, then the list; a click on a row edits it (with the edit permission).
 */
export function SupplierPricesTable({
  rows,
  loading,
  columns,
  canCreate,
  createTestId,
  testId,
  onEdit,
}: {
  rows: SupplierItem[];
  loading: boolean;
  columns: ColumnsType<SupplierItem>;
  canCreate: boolean;
  createTestId: string;
  testId?: string;
  onEdit: (row: SupplierItem | "new") => void;
}) {
  const { t } = useCatalogText();
  const { can } = useAuth();
  return (
    <>
      {canCreate && (
        <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => onEdit("new")} data-testid={createTestId}>
          {t("siCreate")}
        </Button>
      )}
      <Table<SupplierItem>
        columns={columns}
        dataSource={rows}
        rowKey="id"
        onRow={(r) => (can(P.siEdit) ? { onClick: () => onEdit(r), style: { cursor: "pointer" } } : {})}
        loading={loading}
        size="small"
        pagination={false}
        data-testid={testId}
      />
    </>
  );
}

/** A decimal for display: as the server sends it (already trimmed), "—" when empty. */
export const dec = (v: string | null | undefined) => (v === null || v === undefined || v === "" ? "—" : v);

export function ItemStatusTag({ status }: { status: string }) {
  const label = useEnum();
  const color = status === "active" ? "green" : status === "blocked" ? "orange" : "default";
  return (
    <Tag color={color} data-testid={`status-${status}`}>
      {label("st", status)}
    </Tag>
  );
}

export function ActiveTag({ active }: { active: boolean }) {
  const tc = useT(common);
  return active ? <Tag color="green">{tc("active")}</Tag> : <Tag>{tc("inactive")}</Tag>;
}

/** Export buttons of a list: CSV and XLSX with the list's current filters (an audited command on the server). */
export function ExportButtons({
  path,
  query,
  testId,
  size,
}: {
  path: string;
  query: Record<string, string | number | boolean | null | undefined>;
  testId: string;
  size?: "small";
}) {
  const t = useT(catText);
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const [busy, setBusy] = useState<"csv" | "xlsx" | null>(null);
  if (!can(P.export)) return null;
  const run = async (format: "csv" | "xlsx") => {
    setBusy(format);
    try {
      const r = await downloadFile(path, { ...query, format });
      message.success(t("exported", { rows: r.rows ?? 0 }));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space.Compact>
      <Button size={size} icon={<FileTextOutlined />} loading={busy === "csv"} onClick={() => run("csv")} data-testid={`${testId}-export-csv`}>
        {t("exportCsv")}
      </Button>
      <Button size={size} icon={<FileExcelOutlined />} loading={busy === "xlsx"} onClick={() => run("xlsx")} data-testid={`${testId}-export-xlsx`}>
        {t("exportXlsx")}
      </Button>
    </Space.Compact>
  );
}

export function uomLabel(u: Pick<Uom, "code" | "nameZh" | "nameEn">, lang: "zh-CN" | "en-US") {
  return `${u.code} · ${pickName(lang, u.nameZh, u.nameEn)}`;
}

/** A unit picker, grouped by category; `only` limits it to some unit ids (an item's units). */
export function UomSelect({
  units,
  value,
  onChange,
  only,
  allowClear,
  placeholder,
  testId,
  disabled,
}: {
  units: Uom[];
  value?: number | null;
  onChange?: (v: number | null) => void;
  only?: number[];
  allowClear?: boolean;
  placeholder?: string;
  testId?: string;
  disabled?: boolean;
}) {
  const { lang } = useLang();
  const options = useMemo(() => {
    const groups = new Map<number, { label: string; options: { value: number; label: string }[] }>();
    for (const u of units) {
      if (only && !only.includes(u.id)) continue;
      if (!u.active && u.id !== value) continue;
      const g = groups.get(u.categoryId) ?? { label: pickName(lang, u.categoryNameZh, u.categoryNameEn), options: [] };
      g.options.push({ value: u.id, label: uomLabel(u, lang) });
      groups.set(u.categoryId, g);
    }
    return [...groups.values()];
  }, [units, only, lang, value]);
  return (
    <Select
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      allowClear={allowClear}
      placeholder={placeholder}
      showSearch={{ optionFilterProp: "label" }}
      data-testid={testId}
      disabled={disabled}
      style={{ width: "100%" }}
    />
  );
}

/** Item picker searching the server (code, name, specification); shows code and name. */
export function ItemSelect({
  value,
  onChange,
  initial,
  testId,
  disabled,
  status = "active",
}: {
  value?: number | null;
  onChange?: (v: number | null, item?: ItemRow) => void;
  initial?: { id: number; code: string; nameZh: string; nameEn: string } | null;
  testId?: string;
  disabled?: boolean;
  status?: string;
}) {
  const { lang } = useLang();
  const [q, setQ] = useState("");
  const query = useDebounced(q.trim());
  const { data, isFetching } = useQuery({
    queryKey: ["md", "items", "pick", query, status],
    queryFn: () => api.get<Page<ItemRow>>(`${MD}/items`, { q: query, pageSize: 30, sort: "code", status }),
    placeholderData: keepPreviousData,
  });
  const items = data?.items ?? [];
  const options = items.map((i) => ({ value: i.id, label: `${i.code} · ${pickName(lang, i.nameZh, i.nameEn)}` }));
  if (initial && !items.some((i) => i.id === initial.id)) options.unshift({ value: initial.id, label: `${initial.code} · ${pickName(lang, initial.nameZh, initial.nameEn)}` });
  return (
    <Select
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null, items.find((i) => i.id === v))}
      options={options}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={isFetching}
      allowClear
      data-testid={testId}
      disabled={disabled}
      style={{ width: "100%" }}
    />
  );
}

/** Partner picker (optionally suppliers or customers only). */
export function PartnerSelect({
  value,
  onChange,
  partnerRole: role,
  initial,
  testId,
  disabled,
  placeholder,
}: {
  placeholder?: string;
  value?: number | null;
  onChange?: (v: number | null, p?: PartnerRow) => void;
  partnerRole?: "customer" | "supplier";
  initial?: { id: number; code: string; nameZh: string; nameEn: string } | null;
  testId?: string;
  disabled?: boolean;
}) {
  const { lang } = useLang();
  const [q, setQ] = useState("");
  const query = useDebounced(q.trim());
  const { data, isFetching } = useQuery({
    queryKey: ["md", "partners", "pick", query, role],
    queryFn: () => api.get<Page<PartnerRow>>(`${MD}/partners`, { q: query, pageSize: 30, sort: "code", role, status: "active" }),
    placeholderData: keepPreviousData,
  });
  const rows = data?.items ?? [];
  const options = rows.map((p) => ({ value: p.id, label: `${p.code} · ${pickName(lang, p.nameZh, p.nameEn)}` }));
  if (initial && !rows.some((p) => p.id === initial.id)) options.unshift({ value: initial.id, label: `${initial.code} · ${pickName(lang, initial.nameZh, initial.nameEn)}` });
  return (
    <Select
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null, rows.find((p) => p.id === v))}
      options={options}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={isFetching}
      allowClear
      data-testid={testId}
      disabled={disabled}
      style={{ width: "100%" }}
    />
  );
}

const INLINE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"]);

/**
 * The attachments of one record (WF-5): list, upload (drag and drop, 20 MB), download, preview of images
 * and PDF, removal (kept as history). Reading needs the record's read permission, changing its edit one.
 */
export function AttachmentsPanel({
  entity,
  entityId,
  canEdit,
  testId = "attachments",
  onChange,
}: {
  entity: string;
  entityId: number;
  canEdit: boolean;
  testId?: string;
  /** Called after an upload or a removal (the record's attachment count changed). */
  onChange?: () => void;
}) {
  const t = useT(catText);
  const tc = useT(common);
  const { me } = useAuth();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [description, setDescription] = useState("");
  const [uploading, setUploading] = useState(false);
  const key = ["attachments", entity, entityId];
  const { data, isFetching } = useQuery({
    queryKey: key,
    queryFn: () => api.get<Page<Attachment>>("/api/attachments", { entity, entityId, pageSize: 200 }),
  });
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: key });
    onChange?.();
  };

  const remove = (a: Attachment) =>
    modal.confirm({
      title: t("removeAttachmentTitle", { name: a.fileName }),
      content: t("removeAttachmentText"),
      okText: t("removeAttachment"),
      okButtonProps: { danger: true, "data-testid": "attachment-remove-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          await api.delete(`/api/attachments/${a.id}`);
          await refresh();
        } catch (e) {
          showError(e);
        }
      },
    });

  return (
    <div data-testid={testId}>
      {canEdit && (
        <Space orientation="vertical" style={{ width: "100%", marginBottom: 12 }}>
          <Input
            placeholder={t("attachmentDescription")}
            value={description}
            maxLength={500}
            onChange={(e) => setDescription(e.target.value)}
            data-testid={`${testId}-description`}
          />
          <div data-testid={`${testId}-upload`}>
          <Upload.Dragger
            multiple={false}
            showUploadList={false}
            disabled={uploading}
            customRequest={async ({ file, onSuccess, onError }) => {
              const f = file as File;
              setUploading(true);
              try {
                const row = await postForm<Attachment>(
                  "/api/attachments",
                  { entity, entityId: String(entityId), ...(description.trim() ? { description: description.trim() } : {}) },
                  f,
                  f.name,
                  me?.csrfToken ?? "",
                );
                message.success(t("uploaded", { name: row.fileName }));
                setDescription("");
                await refresh();
                onSuccess?.(row);
              } catch (e) {
                showError(e);
                onError?.(e as Error);
              } finally {
                setUploading(false);
              }
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{uploading ? t("uploading") : t("upload")}</p>
            <p className="ant-upload-hint">{t("attachmentsHint")}</p>
          </Upload.Dragger>
          </div>
        </Space>
      )}
      <Table<Attachment>
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noAttachments")} /> }}
        data-testid={`${testId}-table`}
        columns={[
          {
            title: t("fileName"),
            dataIndex: "fileName",
            render: (v: string, a) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text data-testid={`attachment-${a.id}`}>{v}</Typography.Text>
                {a.description && <Typography.Text type="secondary">{a.description}</Typography.Text>}
              </Space>
            ),
          },
          { title: t("size"), dataIndex: "sizeBytes", width: 100, align: "right", render: (v: number) => formatBytes(v) },
          { title: t("uploadedBy"), dataIndex: "uploadedByName", width: 160 },
          { title: t("uploadedAt"), dataIndex: "uploadedAt", width: 170, render: (v: string) => formatDateTime(v) },
          {
            title: tc("actions"),
            key: "actions",
            width: 150,
            render: (_, a) => (
              <Space size={4}>
                <Tooltip title={t("download")}>
                  <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadFile(`/api/attachments/${a.id}/content`).catch(showError)} aria-label={t("download")} />
                </Tooltip>
                {INLINE.has(a.mime) && (
                  <Tooltip title={t("preview")}>
                    <Button size="small" icon={<EyeOutlined />} href={`/api/attachments/${a.id}/content?inline=true`} target="_blank" rel="noopener" aria-label={t("preview")} />
                  </Tooltip>
                )}
                {canEdit && (
                  <Tooltip title={t("removeAttachment")}>
                    <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(a)} aria-label={t("removeAttachment")} data-testid={`attachment-remove-${a.id}`} />
                  </Tooltip>
                )}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}

/** Converts a quantity between units on the server (through the item's own factors when an item is given). */
export function Converter({ itemId, units, defaultFrom, defaultTo }: { itemId?: number; units: Uom[]; defaultFrom?: number | null; defaultTo?: number | null }) {
  const t = useT(catText);
  const [qty, setQty] = useState("1");
  const [from, setFrom] = useState<number | null>(defaultFrom ?? null);
  const [to, setTo] = useState<number | null>(defaultTo ?? null);
  const [rounding, setRounding] = useState("half-up");
  useEffect(() => {
    setFrom(defaultFrom ?? null);
    setTo(defaultTo ?? null);
  }, [defaultFrom, defaultTo]);
  const ok = /^-?\d{1,15}(\.\d{1,12})?$/.test(qty) && from && to;
  const res = useQuery({
    queryKey: ["md", "convert", itemId, qty, from, to, rounding],
    queryFn: () => api.get<{ result: string }>(`${MD}/uoms/convert`, { qty, fromUomId: from, toUomId: to, itemId, rounding }),
    enabled: Boolean(ok),
    retry: false,
  });
  const code = (id: number | null) => units.find((u) => u.id === id)?.code ?? "";
  return (
    <Card size="small" title={t("converter")} data-testid="converter">
      <Space wrap align="center">
        <Input value={qty} onChange={(e) => setQty(e.target.value.trim())} style={{ width: 120 }} inputMode="decimal" data-testid="converter-qty" />
        <div style={{ width: 200 }}>
          <UomSelect units={units} value={from} onChange={setFrom} testId="converter-from" />
        </div>
        <Button
          type="text"
          icon={<SwapOutlined />}
          onClick={() => {
            setFrom(to);
            setTo(from);
          }}
          aria-label={t("convert")}
        />
        <div style={{ width: 200 }}>
          <UomSelect units={units} value={to} onChange={setTo} testId="converter-to" />
        </div>
        <Select
          value={rounding}
          onChange={setRounding}
          style={{ width: 130 }}
          options={["half-up", "up", "down", "none"].map((r) => ({ value: r, label: t(`rounding_${r.replace("-", "_")}` as CatKey) }))}
        />
        <Typography.Text strong data-testid="converter-result">
          {res.data ? t("convertResult", { qty, from: code(from), result: res.data.result, to: code(to) }) : res.error instanceof ApiError ? res.error.detail : ""}
        </Typography.Text>
      </Space>
    </Card>
  );
}


export function PartnerStatusTag({ status }: { status: string }) {
  const t = useT(catText);
  return status === "active" ? <Tag color="green">{t("st_active")}</Tag> : <Tag color="orange">{t("st_blocked")}</Tag>;
}

export function RoleTags({ p }: { p: Pick<PartnerRow, "isCustomer" | "isSupplier"> }) {
  const t = useT(catText);
  return (
    <Space size={4}>
      {p.isCustomer && <Tag color="blue">{t("roleCustomer")}</Tag>}
      {p.isSupplier && <Tag color="purple">{t("roleSupplier")}</Tag>}
    </Space>
  );
}

