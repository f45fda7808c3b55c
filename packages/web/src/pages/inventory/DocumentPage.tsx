import { CheckCircleOutlined, DeleteOutlined, PlusOutlined, RollbackOutlined, SaveOutlined, StopOutlined, ThunderboltOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Row, Select, Skeleton, Space, Table, Tag, Tooltip, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDate, formatDateTime } from "../../components/format";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { DOC_PATH, type DocDetail, type DocLine, type DocType, type ItemOption, type LotSuggestion, STOCK_KINDS, cmpDecimal } from "./api";
import { type InvKey, invText } from "./i18n";
import { Expiry, ItemCell, ItemSelect, LocationSelect, LocationText, LotSelect, Money, PartnerSelect, Qty, StateTag } from "./parts";

const QTY_RE = /^\d{1,12}(\.\d{1,6})?$/;
const TYPE_OF: Record<string, DocType> = { receipts: "receipt", issues: "issue", transfers: "transfer" };
const TITLE: Record<DocType, InvKey> = { receipt: "receipt", issue: "issue", transfer: "transfer" };
/** Which location kinds each side may be (the server checks the same). */
const KINDS: Record<DocType, { from: string[]; to: string[] }> = {
  receipt: { from: ["supplier", "production", "adjustment", "customer"], to: STOCK_KINDS },
  issue: { from: STOCK_KINDS, to: ["customer", "production", "scrap", "adjustment", "supplier"] },
  transfer: { from: STOCK_KINDS, to: STOCK_KINDS },
};

interface FormLine {
  itemId: number | null;
  quantity: string;
  fromLocationId?: number | null;
  toLocationId?: number | null;
  lotId?: number | null;
  lotNo?: string | null;
  expiryDate?: Dayjs | null;
  supplierLot?: string | null;
  unitCost?: string | null;
  returnOfMoveId?: number | null;
}

interface FormValues {
  postingDate?: Dayjs | null;
  partnerId?: number | null;
  reference?: string | null;
  orderRefType?: string | null;
  orderRefId?: string | null;
  productionRef?: string | null;
  fromLocationId?: number | null;
  toLocationId?: number | null;
  note?: string | null;
  lines: FormLine[];
}

const empty = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === "" ? null : v.trim());

function toPayload(v: FormValues) {
  return {
    postingDate: v.postingDate ? v.postingDate.format("YYYY-MM-DD") : undefined,
    partnerId: v.partnerId ?? null,
    reference: empty(v.reference),
    orderRefType: empty(v.orderRefType),
    orderRefId: empty(v.orderRefId),
    productionRef: empty(v.productionRef),
    fromLocationId: v.fromLocationId ?? null,
    toLocationId: v.toLocationId ?? null,
    note: empty(v.note),
    lines: (v.lines ?? []).map((l) => ({
      itemId: l.itemId,
      quantity: l.quantity?.trim(),
      fromLocationId: l.fromLocationId ?? null,
      toLocationId: l.toLocationId ?? null,
      lotId: l.lotId ?? null,
      lotNo: empty(l.lotNo),
      expiryDate: l.expiryDate ? l.expiryDate.format("YYYY-MM-DD") : null,
      supplierLot: empty(l.supplierLot),
      unitCost: empty(l.unitCost),
      returnOfMoveId: l.returnOfMoveId ?? null,
    })),
  };
}

function fromDoc(d: DocDetail): FormValues {
  return {
    postingDate: d.postingDate ? dayjs(d.postingDate) : null,
    partnerId: d.partnerId,
    reference: d.reference,
    orderRefType: d.orderRefType,
    orderRefId: d.orderRefId,
    productionRef: d.productionRef,
    fromLocationId: d.fromLocationId,
    toLocationId: d.toLocationId,
    note: d.note,
    lines: d.lines.map((l) => ({
      itemId: l.itemId,
      quantity: l.quantity,
      // Lines keep their own location only where it differs from the header default.
      fromLocationId: d.fromLocationId === l.fromLocationId ? null : l.fromLocationId,
      toLocationId: d.toLocationId === l.toLocationId ? null : l.toLocationId,
      lotId: d.docType === "receipt" ? null : l.lotId,
      lotNo: d.docType === "receipt" ? l.lotNo : null,
      expiryDate: d.docType === "receipt" && l.expiryDate ? dayjs(l.expiryDate) : null,
      supplierLot: l.supplierLot,
      unitCost: l.unitCost ?? null,
      returnOfMoveId: l.returnOfMoveId,
    })),
  };
}

/** A goods receipt, issue or transfer: edited as a draft, posted after confirmation, reversed when posted. */
export default function DocumentPage() {
  const { id } = useParams();
  const location = useLocation();
  const type = TYPE_OF[location.pathname.split("/")[2]] ?? "receipt";
  const isNew = id === "new";
  const docId = isNew ? null : Number(id);
  const t = useT(invText);
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ["inventory", "document", docId],
    queryFn: () => api.get<DocDetail>(`/api/inventory/documents/${docId}`),
    enabled: docId !== null && Number.isInteger(docId),
  });
  if (!isNew && isLoading) return <Skeleton active />;
  if (!isNew && (error || !data)) {
    return <Empty description={error instanceof ApiError && error.status === 404 ? t("docNotFound") : String((error as Error)?.message ?? "")} />;
  }
  if (data && data.state !== "draft") return <DocumentView doc={data} onChanged={() => refetch()} />;
  return <DocumentEditor key={data ? `${data.id}:${data.version}` : "new"} type={data?.docType ?? type} doc={data ?? null} onSaved={() => refetch()} />;
}

function DocumentEditor({ type, doc, onSaved }: { type: DocType; doc: DocDetail | null; onSaved: () => void }) {
  const t = useT(invText);
  const tc = useT(common);
  const { can } = useAuth();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const [items, setItems] = useState<Record<number, ItemOption | undefined>>({});
  const canEdit = can(`inventory.${type}.edit`);
  const canPost = can(`inventory.${type}.post`);
  const showValue = can("inventory.value.read");
  const path = `/inventory/${DOC_PATH[type]}`;
  const headerFrom = Form.useWatch("fromLocationId", form);
  const headerTo = Form.useWatch("toLocationId", form);
  const lines = Form.useWatch("lines", form) ?? [];

  useEffect(() => {
    form.setFieldsValue(doc ? fromDoc(doc) : { lines: [{ itemId: null, quantity: "" }] });
    if (doc) {
      const known: Record<number, ItemOption> = {};
      for (const l of doc.lines)
        known[l.itemId] = { id: l.itemId, itemCode: l.itemCode, itemNameZh: l.itemNameZh, itemNameEn: l.itemNameEn, uom: l.uom, tracking: l.tracking, barcode: null, shelfLifeDays: null };
      setItems(known);
    }
  }, [doc, form]);

  const tracking = (i: number) => {
    const itemId = lines[i]?.itemId;
    return itemId ? items[itemId]?.tracking ?? "none" : "none";
  };

  const save = async (): Promise<{ id: number; version: number } | null> => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return null;
    }
    const body = toPayload(values);
    try {
      if (!doc) {
        const created = await api.post<{ id: number; version: number; number: string }>(path.replace("/inventory", "/api/inventory"), body, { idempotencyKey: idemKey() });
        renewKey();
        setDirty(false);
        message.success(t("draftSaved"));
        await qc.invalidateQueries({ queryKey: ["inventory"] });
        navigate(`${path}/${created.id}`, { replace: true });
        return created;
      }
      const updated = await api.patch<{ id: number; version: number }>(`/api/inventory/${DOC_PATH[type]}/${doc.id}`, body, { version: doc.version });
      setDirty(false);
      return updated;
    } catch (e) {
      showError(e, { form, onConflict: onSaved });
      return null;
    }
  };

  const onSave = async () => {
    setBusy(true);
    const r = await save();
    setBusy(false);
    if (r && doc) {
      message.success(t("draftSaved"));
      await qc.invalidateQueries({ queryKey: ["inventory"] });
      onSaved();
    }
  };

  const onPost = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    modal.confirm({
      title: t("postTitle", { number: doc?.number ?? t(TITLE[type]) }),
      content: (
        <Space orientation="vertical">
          <Typography.Text>{t("postText", { lines: lines.length })}</Typography.Text>
          {(dirty || !doc) && <Alert type="info" showIcon title={t("dirtyPost")} />}
        </Space>
      ),
      okText: t("post"),
      cancelText: tc("cancel"),
      okButtonProps: { "data-testid": "doc-post-confirm" },
      onOk: async () => {
        setBusy(true);
        try {
          let target: { id: number; version: number } | null = doc ? { id: doc.id, version: doc.version } : null;
          if (dirty || !doc) target = await save();
          if (!target) return;
          const r = await api.post<{ number: string }>(`/api/inventory/${DOC_PATH[type]}/${target.id}/post`, { version: target.version });
          message.success(t("posted", { number: r.number }));
          await qc.invalidateQueries({ queryKey: ["inventory"] });
          if (doc) onSaved();
          else navigate(`${path}/${target.id}`, { replace: true });
        } catch (e) {
          showError(e, { form, onConflict: onSaved });
        } finally {
          setBusy(false);
        }
      },
    });
  };

  const onCancelDraft = () => {
    if (!doc) return;
    modal.confirm({
      title: t("cancelTitle", { number: doc.number }),
      content: t("cancelText"),
      okText: t("cancelDraft"),
      okButtonProps: { danger: true, "data-testid": "doc-cancel-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          await api.post(`/api/inventory/${DOC_PATH[type]}/${doc.id}/cancel`, { version: doc.version });
          message.success(t("cancelledMsg"));
          await qc.invalidateQueries({ queryKey: ["inventory"] });
          onSaved();
        } catch (e) {
          showError(e, { onConflict: onSaved });
        }
      },
    });
  };

  /** Splits each tracked line without a lot into lines per lot, earliest expiry first. */
  const suggestLots = async () => {
    const values = form.getFieldsValue();
    const next: FormLine[] = [];
    let changed = false;
    for (const l of values.lines ?? []) {
      const item = l.itemId ? items[l.itemId] : undefined;
      if (!item || item.tracking === "none" || l.lotId || !l.quantity || !QTY_RE.test(l.quantity)) {
        next.push(l);
        continue;
      }
      const from = l.fromLocationId ?? values.fromLocationId ?? undefined;
      try {
        const s = await api.get<{ suggestions: LotSuggestion[]; shortfall: string }>("/api/inventory/suggest-lots", { itemId: item.id, quantity: l.quantity, locationId: from });
        if (s.suggestions.length === 0) {
          next.push(l);
          message.warning(t("suggestShort", { item: item.itemCode, short: s.shortfall }));
          continue;
        }
        changed = true;
        for (const sug of s.suggestions) {
          next.push({ ...l, lotId: sug.lotId, quantity: sug.take ?? sug.available, fromLocationId: from ? l.fromLocationId : sug.locationId });
        }
        if (cmpDecimal(s.shortfall, "0") > 0) message.warning(t("suggestShort", { item: item.itemCode, short: s.shortfall }));
      } catch (e) {
        showError(e);
        return;
      }
    }
    form.setFieldsValue({ lines: next });
    setDirty(true);
    message.info(changed ? t("suggested") : t("suggestNone"));
  };

  const partnerRole = type === "receipt" ? "supplier" : type === "issue" ? "customer" : undefined;
  const lineColumns = (remove: (i: number) => void) => [
    { title: "#", key: "no", width: 40, render: (_: unknown, _f: unknown, i: number) => i + 1 },
    {
      title: t("item"),
      key: "item",
      width: 260,
      render: (_: unknown, field: { name: number }) => (
        <Form.Item name={[field.name, "itemId"]} rules={[{ required: true, message: tc("required", { field: t("item") }) }]} style={{ margin: 0 }}>
          <ItemSelect
            testId={`line-${field.name}-item`}
            initial={doc?.lines[field.name] ? { id: doc.lines[field.name].itemId, itemCode: doc.lines[field.name].itemCode, itemNameZh: doc.lines[field.name].itemNameZh, itemNameEn: doc.lines[field.name].itemNameEn } : null}
            onItem={(it) => it && setItems((m) => ({ ...m, [it.id]: it }))}
          />
        </Form.Item>
      ),
    },
    {
      title: t("quantity"),
      key: "qty",
      width: 130,
      render: (_: unknown, field: { name: number }) => (
        <Form.Item name={[field.name, "quantity"]} rules={[{ required: true, message: tc("required", { field: t("quantity") }) }, { pattern: QTY_RE, message: "0.000001 – 999999999999" }]} style={{ margin: 0 }}>
          <Input data-testid={`line-${field.name}-qty`} suffix={<Typography.Text type="secondary">{items[lines[field.name]?.itemId ?? 0]?.uom ?? ""}</Typography.Text>} />
        </Form.Item>
      ),
    },
    ...(type !== "receipt"
      ? [
          {
            title: t("fromLocation"),
            key: "from",
            width: 190,
            render: (_: unknown, field: { name: number }) => (
              <Form.Item name={[field.name, "fromLocationId"]} style={{ margin: 0 }}>
                <LocationSelect kinds={KINDS[type].from} placeholder={t("defaultFrom")} testId={`line-${field.name}-from`} />
              </Form.Item>
            ),
          },
          {
            title: t("lot"),
            key: "lot",
            width: 240,
            render: (_: unknown, field: { name: number }) =>
              tracking(field.name) === "none" ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Form.Item name={[field.name, "lotId"]} rules={[{ required: true, message: t("chooseLot") }]} style={{ margin: 0 }}>
                  <LotSelect
                    itemId={lines[field.name]?.itemId}
                    locationId={lines[field.name]?.fromLocationId ?? headerFrom}
                    testId={`line-${field.name}-lot`}
                    initialLabel={doc?.lines[field.name]?.lotNo}
                  />
                </Form.Item>
              ),
          },
        ]
      : [
          {
            title: t("lotNo"),
            key: "lotNo",
            width: 150,
            render: (_: unknown, field: { name: number }) =>
              tracking(field.name) === "none" ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Form.Item name={[field.name, "lotNo"]} rules={[{ required: true, message: tc("required", { field: t("lotNo") }) }]} style={{ margin: 0 }}>
                  <Input placeholder={tracking(field.name) === "serial" ? "SN-…" : t("lotNew")} data-testid={`line-${field.name}-lotno`} />
                </Form.Item>
              ),
          },
          {
            title: t("expiry"),
            key: "expiry",
            width: 150,
            render: (_: unknown, field: { name: number }) =>
              tracking(field.name) === "none" ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Form.Item name={[field.name, "expiryDate"]} style={{ margin: 0 }}>
                  <DatePicker style={{ width: "100%" }} data-testid={`line-${field.name}-expiry`} />
                </Form.Item>
              ),
          },
          {
            title: t("supplierLot"),
            key: "supplierLot",
            width: 140,
            render: (_: unknown, field: { name: number }) =>
              tracking(field.name) === "none" ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Form.Item name={[field.name, "supplierLot"]} style={{ margin: 0 }}>
                  <Input data-testid={`line-${field.name}-supplierlot`} />
                </Form.Item>
              ),
          },
        ]),
    ...(type !== "issue"
      ? [
          {
            title: t("toLocation"),
            key: "to",
            width: 190,
            render: (_: unknown, field: { name: number }) => (
              <Form.Item name={[field.name, "toLocationId"]} style={{ margin: 0 }}>
                <LocationSelect kinds={KINDS[type].to} placeholder={t("defaultTo")} testId={`line-${field.name}-to`} />
              </Form.Item>
            ),
          },
        ]
      : [
          {
            title: t("toLocation"),
            key: "to",
            width: 190,
            render: (_: unknown, field: { name: number }) => (
              <Form.Item name={[field.name, "toLocationId"]} style={{ margin: 0 }}>
                <LocationSelect kinds={KINDS.issue.to} placeholder={t("defaultTo")} testId={`line-${field.name}-to`} />
              </Form.Item>
            ),
          },
        ]),
    ...(type === "receipt" && showValue
      ? [
          {
            title: (
              <Tooltip title={t("unitCostHint")}>
                <span>{t("unitCost")}</span>
              </Tooltip>
            ),
            key: "cost",
            width: 130,
            render: (_: unknown, field: { name: number }) => (
              <Form.Item name={[field.name, "unitCost"]} rules={[{ pattern: QTY_RE, message: "0 – 999999999999.999999" }]} style={{ margin: 0 }}>
                <Input placeholder={t("unitCostHint").split("；")[0].split(";")[0]} data-testid={`line-${field.name}-cost`} />
              </Form.Item>
            ),
          },
        ]
      : []),
    ...(type !== "transfer"
      ? [
          {
            title: (
              <Tooltip title={t("returnOfHint")}>
                <span>{t("returnOf")}</span>
              </Tooltip>
            ),
            key: "return",
            width: 110,
            render: (_: unknown, field: { name: number }) => (
              <Form.Item name={[field.name, "returnOfMoveId"]} style={{ margin: 0 }}>
                <InputNumber min={1} precision={0} style={{ width: "100%" }} controls={false} data-testid={`line-${field.name}-return`} />
              </Form.Item>
            ),
          },
        ]
      : []),
    {
      title: "",
      key: "remove",
      width: 44,
      render: (_: unknown, field: { name: number }) => (
        <Tooltip title={t("removeLine")}>
          <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} disabled={lines.length <= 1} data-testid={`line-${field.name}-remove`} />
        </Tooltip>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={doc ? `${t(TITLE[type])} ${doc.number}` : t(type === "receipt" ? "newReceipt" : type === "issue" ? "newIssue" : "newTransfer")}
        onBack={() => navigate(path)}
        sub={doc ? <StateTag state={doc.state} testId="doc-state" /> : undefined}
        extra={
          canEdit && (!doc || doc.state === "draft") ? (
            <>
              {doc && (
                <Button danger icon={<StopOutlined />} onClick={onCancelDraft} data-testid="doc-cancel">
                  {t("cancelDraft")}
                </Button>
              )}
              <Button icon={<SaveOutlined />} onClick={onSave} loading={busy} data-testid="doc-save">
                {t("saveDraft")}
              </Button>
              {canPost && (
                <Button type="primary" icon={<CheckCircleOutlined />} onClick={onPost} loading={busy} data-testid="doc-post">
                  {t("post")}
                </Button>
              )}
            </>
          ) : undefined
        }
      />
      <Form<FormValues> form={form} layout="vertical" disabled={!canEdit} onValuesChange={() => setDirty(true)} data-testid="doc-form">
        <Card size="small" style={{ marginBottom: 12 }}>
          <Row gutter={16}>
            {partnerRole && (
              <Col xs={24} md={8}>
                <Form.Item name="partnerId" label={partnerRole === "supplier" ? t("supplier") : t("customer")}>
                  <PartnerSelect role={partnerRole} testId="doc-partner" initial={doc?.partnerId ? { id: doc.partnerId, code: doc.partnerCode ?? "", nameZh: doc.partnerNameZh ?? "", nameEn: doc.partnerNameEn ?? "" } : null} />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={8}>
              <Form.Item name="reference" label={t("reference")}>
                <Input maxLength={100} data-testid="doc-reference" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="postingDate" label={t("postingDate")} tooltip={t("postingDateHint")}>
                <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isAfter(dayjs(), "day")} placeholder={t("postingDateHint")} data-testid="doc-date" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="fromLocationId" label={t("defaultFrom")} tooltip={type === "receipt" ? t("receiptFromHint") : undefined}>
                <LocationSelect kinds={KINDS[type].from} testId="doc-from" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="toLocationId" label={t("defaultTo")} tooltip={type === "issue" ? t("issueToHint") : undefined}>
                <LocationSelect kinds={KINDS[type].to} testId="doc-to" />
              </Form.Item>
            </Col>
            {type !== "transfer" && (
              <Col xs={24} md={8}>
                <Form.Item name="productionRef" label={t("productionRef")}>
                  <Input maxLength={64} placeholder="WO-…" data-testid="doc-production-ref" />
                </Form.Item>
              </Col>
            )}
            {type === "issue" && (
              <Col xs={24} md={8}>
                <Form.Item label={t("orderRef")}>
                  <Space.Compact style={{ width: "100%" }}>
                    <Form.Item name="orderRefType" noStyle>
                      <Select
                        allowClear
                        placeholder={t("orderRefType")}
                        style={{ width: "45%" }}
                        options={["sales_order", "work_order", "transfer_order"].map((r) => ({ value: r, label: t(`ref_${r}` as InvKey) }))}
                        data-testid="doc-order-type"
                      />
                    </Form.Item>
                    <Form.Item name="orderRefId" noStyle>
                      <Input placeholder={t("orderRefId")} style={{ width: "55%" }} maxLength={64} data-testid="doc-order-id" />
                    </Form.Item>
                  </Space.Compact>
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={type === "issue" ? 16 : 8}>
              <Form.Item name="note" label={t("note")}>
                <Input maxLength={2000} data-testid="doc-note" />
              </Form.Item>
            </Col>
          </Row>
          {(!headerFrom || !headerTo) && <Typography.Text type="secondary">{type === "receipt" ? t("receiptFromHint") : type === "issue" ? t("issueToHint") : ""}</Typography.Text>}
        </Card>
        <Card
          size="small"
          title={t("docSummary", { lines: lines.length })}
          extra={
            type !== "receipt" &&
            canEdit && (
              <Button icon={<ThunderboltOutlined />} onClick={suggestLots} data-testid="doc-suggest-lots">
                {t("suggestLots")}
              </Button>
            )
          }
        >
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                <Table
                  size="small"
                  rowKey="key"
                  dataSource={fields}
                  pagination={false}
                  columns={lineColumns(remove)}
                  scroll={{ x: "max-content" }}
                  data-testid="doc-lines"
                />
                {canEdit && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ itemId: null, quantity: "" })} style={{ marginTop: 8 }} block data-testid="doc-add-line">
                    {t("addLine")}
                  </Button>
                )}
              </>
            )}
          </Form.List>
        </Card>
      </Form>
      {doc && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t("createdBy")}: {doc.createdByName} · {formatDateTime(doc.createdAt)}
        </Typography.Paragraph>
      )}
    </>
  );
}

function DocumentView({ doc, onChanged }: { doc: DocDetail; onChanged: () => void }) {
  const t = useT(invText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const showValue = can("inventory.value.read");
  const path = `/inventory/${DOC_PATH[doc.docType]}`;
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const canReverse = can("inventory.document.reverse") && doc.state === "posted" && !doc.reversalOf;

  const reverse = () => {
    reasonForm.resetFields();
    modal.confirm({
      title: t("reverseTitle", { number: doc.number }),
      width: 520,
      content: (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Typography.Text>{t("reverseText")}</Typography.Text>
          <Form form={reasonForm} layout="vertical">
            <Form.Item name="reason" label={t("reverseReason")} rules={[{ required: true, whitespace: true, message: t("reverseReasonRequired") }]}>
              <Input.TextArea rows={2} maxLength={500} data-testid="doc-reverse-reason" />
            </Form.Item>
          </Form>
        </Space>
      ),
      okText: t("reverse"),
      okButtonProps: { danger: true, "data-testid": "doc-reverse-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        const { reason } = await reasonForm.validateFields();
        try {
          const r = await api.post<{ id: number; number: string }>(`/api/inventory/documents/${doc.id}/reverse`, { version: doc.version, reason: reason.trim() });
          message.success(t("reversedMsg", { number: r.number }));
          await qc.invalidateQueries({ queryKey: ["inventory"] });
          navigate(`${path}/${r.id}`);
        } catch (e) {
          showError(e, { onConflict: onChanged });
          throw e;
        }
      },
    });
  };

  return (
    <>
      <PageHeader
        title={`${t(TITLE[doc.docType])} ${doc.number}`}
        onBack={() => navigate(path)}
        sub={
          <Space size={4}>
            <StateTag state={doc.state} testId="doc-state" />
            {doc.reversalOf && <Tag color="orange">{t("reversalTag")}</Tag>}
          </Space>
        }
        extra={
          canReverse ? (
            <Button danger icon={<RollbackOutlined />} onClick={reverse} data-testid="doc-reverse">
              {t("reverse")}
            </Button>
          ) : undefined
        }
      />
      {doc.state !== "cancelled" && <Alert type="info" showIcon title={t("readOnlyHint")} style={{ marginBottom: 12 }} />}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: "date", label: t("postingDate"), children: formatDate(doc.postingDate) },
            ...(doc.partnerCode ? [{ key: "partner", label: doc.docType === "receipt" ? t("supplier") : t("customer"), children: `${doc.partnerCode} ${pickName(lang, doc.partnerNameZh, doc.partnerNameEn)}` }] : []),
            { key: "ref", label: t("reference"), children: doc.reference ?? "—" },
            ...(doc.productionRef ? [{ key: "prod", label: t("productionRef"), children: doc.productionRef }] : []),
            ...(doc.orderRefId ? [{ key: "order", label: t("orderRef"), children: `${t(`ref_${doc.orderRefType}` as InvKey)} ${doc.orderRefId}` }] : []),
            { key: "created", label: t("createdBy"), children: `${doc.createdByName} · ${formatDateTime(doc.createdAt)}` },
            ...(doc.postedAt ? [{ key: "posted", label: t("postedBy"), children: `${doc.postedByName ?? "—"} · ${formatDateTime(doc.postedAt)}` }] : []),
            ...(doc.reversalOf
              ? [
                  {
                    key: "revof",
                    label: t("reversalOf"),
                    children: (
                      <Link to={`${path}/${doc.reversalOf}`} data-testid="doc-reversal-of">
                        {doc.reversalOfNumber}
                      </Link>
                    ),
                  },
                  { key: "reason", label: t("reverseReason"), children: doc.reversalReason },
                ]
              : []),
            ...(doc.reversedBy
              ? [
                  {
                    key: "revby",
                    label: t("reversedBy"),
                    children: (
                      <Link to={`${path}/${doc.reversedBy}`} data-testid="doc-reversed-by">
                        {doc.reversedByNumber}
                      </Link>
                    ),
                  },
                ]
              : []),
            ...(doc.note ? [{ key: "note", label: t("note"), children: doc.note }] : []),
            ...(showValue && doc.totalValue ? [{ key: "value", label: t("totalValue"), children: <Money value={doc.totalValue} /> }] : []),
          ]}
        />
      </Card>
      <Card size="small" title={t("docSummary", { lines: doc.lines.length })}>
        <Table<DocLine>
          size="small"
          rowKey="id"
          dataSource={doc.lines}
          pagination={false}
          scroll={{ x: "max-content" }}
          data-testid="doc-lines"
          columns={[
            { title: "#", dataIndex: "lineNo", width: 40 },
            { title: t("item"), dataIndex: "itemCode", render: (_: unknown, r) => <ItemCell code={r.itemCode} nameZh={r.itemNameZh} nameEn={r.itemNameEn} /> },
            { title: t("quantity"), dataIndex: "quantity", align: "right", render: (v: string, r) => <Qty value={v} uom={r.uom} /> },
            { title: t("from"), dataIndex: "fromLocationCode", render: (v: string, r) => <LocationText code={v} kind={r.fromKind} /> },
            { title: t("to"), dataIndex: "toLocationCode", render: (v: string, r) => <LocationText code={v} kind={r.toKind} /> },
            { title: t("lot"), dataIndex: "lotNo", render: (v: string | null) => v ?? "—" },
            { title: t("expiry"), dataIndex: "expiryDate", render: (v: string | null) => <Expiry date={v} /> },
            ...(doc.docType === "receipt" ? [{ title: t("supplierLot"), dataIndex: "supplierLot", render: (v: string | null) => v ?? "—" }] : []),
            ...(doc.lines.some((l) => l.returnOfMoveId) ? [{ title: t("returnOf"), dataIndex: "returnOfMoveId", render: (v: number | null) => (v ? <Tag>#{v}</Tag> : "—") }] : []),
            ...(showValue
              ? [
                  { title: t("unitCost"), dataIndex: "unitCost", align: "right" as const, render: (v: string | null) => <Money value={v} /> },
                  { title: t("value"), dataIndex: "value", align: "right" as const, render: (v: string | null) => <Money value={v} /> },
                ]
              : []),
            {
              title: t("moveId"),
              dataIndex: "moveId",
              render: (v: number | null, r) =>
                v ? (
                  <Link to={`/inventory/moves?itemId=${r.itemId}`} data-testid={`doc-move-${r.lineNo}`}>
                    #{v}
                  </Link>
                ) : (
                  "—"
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
