import { CheckCircleOutlined, LockOutlined, RollbackOutlined, ScanOutlined, SendOutlined, StopOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Empty, Form, Input, type InputRef, Row, Select, Skeleton, Space, Statistic, Steps, Table, Tag, Typography } from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { cmpDecimal } from "./api";
import { invText } from "./i18n";
import { Expiry, ItemCell, Money, Qty, StateTag } from "./parts";

interface CountLine {
  id: number;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  tracking: string;
  barcode: string | null;
  locationId: number;
  locationCode: string;
  lotId: number | null;
  lotNo: string | null;
  expiryDate: string | null;
  systemQty: string | null;
  countedQty: string | null;
  countedByName: string | null;
  countedAt: string | null;
  bookQty: string | null;
  variance: string | null;
  varianceValue?: string | null;
  adjustmentMoveId: number | null;
}

interface CountDetail {
  id: number;
  number: string;
  state: "draft" | "counting" | "review" | "posted" | "cancelled";
  warehouseId: number;
  warehouseCode: string;
  warehouseNameZh: string;
  warehouseNameEn: string;
  blind: boolean;
  note: string | null;
  reviewNote: string | null;
  postingDate: string | null;
  createdByName: string;
  createdAt: string;
  frozenAt: string | null;
  submittedByName: string | null;
  submittedAt: string | null;
  approvedByName: string | null;
  approvedAt: string | null;
  version: number;
  expectedHidden: boolean;
  varianceValue?: string;
  locations: { id: number; code: string; nameZh: string; nameEn: string }[];
  items: { id: number; itemCode: string }[];
  lines: CountLine[];
}

interface ScanResult {
  kind: "item" | "lot";
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  tracking: string;
  lotId: number | null;
  lotNo: string | null;
}

const STEP: Record<string, number> = { draft: 0, counting: 1, review: 2, posted: 3, cancelled: 0 };
const QTY_RE = /^\d{1,12}(\.\d{1,6})?$/;

/** One count: freeze, scan entry, submit, review of variances, approval (maker ≠ checker) or send back. */
export default function CountPage() {
  const { id } = useParams();
  const t = useT(invText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const showValue = can("inventory.value.read");
  const { data: c, isLoading, error, refetch } = useQuery({
    queryKey: ["inventory", "count", Number(id)],
    queryFn: () => api.get<CountDetail>(`/api/inventory/counts/${id}`),
  });
  const reload = async () => {
    await qc.invalidateQueries({ queryKey: ["inventory"] });
    await refetch();
  };

  if (isLoading) return <Skeleton active />;
  if (error || !c) return <Empty description={error instanceof ApiError && error.status === 404 ? t("docNotFound") : String((error as Error)?.message ?? "")} />;

  const counted = c.lines.filter((l) => l.countedQty !== null).length;
  const act = (opts: { title: string; content: React.ReactNode; ok: string; danger?: boolean; testId: string; run: () => Promise<unknown>; done: string }) =>
    modal.confirm({
      title: opts.title,
      content: opts.content,
      okText: opts.ok,
      cancelText: tc("cancel"),
      width: 520,
      okButtonProps: { danger: opts.danger, "data-testid": opts.testId },
      onOk: async () => {
        try {
          await opts.run();
          message.success(opts.done);
          await reload();
        } catch (e) {
          showError(e, { onConflict: reload });
        }
      },
    });

  const start = () =>
    act({ title: t("startTitle", { number: c.number }), content: t("startText"), ok: t("start"), testId: "count-start-confirm", done: t("startedMsg"), run: () => api.post(`/api/inventory/counts/${c.id}/start`, { version: c.version }) });
  const cancel = () =>
    act({ title: t("cancelCountTitle", { number: c.number }), content: t("cancelCountText"), ok: t("cancelCount"), danger: true, testId: "count-cancel-confirm", done: t("cancelledMsg"), run: () => api.post(`/api/inventory/counts/${c.id}/cancel`, { version: c.version }) });
  const submit = () => {
    const open = c.lines.length - counted;
    let zero = false;
    act({
      title: t("submitTitle", { number: c.number }),
      content: (
        <Space orientation="vertical">
          <Typography.Text>{t("submitText")}</Typography.Text>
          <Typography.Text>{t("progress", { counted, total: c.lines.length })}</Typography.Text>
          {open > 0 && (
            <Checkbox onChange={(e) => (zero = e.target.checked)} data-testid="count-zero-uncounted">
              {t("zeroUncounted", { count: open })}
            </Checkbox>
          )}
        </Space>
      ),
      ok: t("submit"),
      testId: "count-submit-confirm",
      done: t("submittedMsg"),
      run: () => api.post(`/api/inventory/counts/${c.id}/submit`, { version: c.version, zeroUncounted: zero || undefined }),
    });
  };
  const approve = () =>
    act({
      title: t("approveTitle", { number: c.number }),
      content: (
        <Space orientation="vertical">
          <Typography.Text>{t("approveText")}</Typography.Text>
          {showValue && c.varianceValue && (
            <Typography.Text strong>
              {t("varianceValue")}: <Money value={c.varianceValue} />
            </Typography.Text>
          )}
        </Space>
      ),
      ok: t("approve"),
      testId: "count-approve-confirm",
      done: t("approvedMsg"),
      run: () => api.post(`/api/inventory/counts/${c.id}/approve`, { version: c.version }),
    });
  const reject = () => {
    let note = "";
    act({
      title: t("rejectTitle", { number: c.number }),
      content: <Input.TextArea rows={2} placeholder={t("rejectNote")} onChange={(e) => (note = e.target.value)} data-testid="count-reject-note" />,
      ok: t("reject"),
      danger: true,
      testId: "count-reject-confirm",
      done: t("rejectedMsg"),
      run: () => api.post(`/api/inventory/counts/${c.id}/reject`, { version: c.version, note: note.trim() || t("reject") }),
    });
  };

  const canEdit = can("inventory.count.edit");
  const canApprove = can("inventory.count.approve");
  const showVariance = c.state === "review" || c.state === "posted" || (c.state === "counting" && !c.expectedHidden);
  const gains = c.lines.filter((l) => l.variance && cmpDecimal(l.variance, "0") > 0).length;
  const losses = c.lines.filter((l) => l.variance && cmpDecimal(l.variance, "0") < 0).length;

  return (
    <>
      <PageHeader
        title={`${t("count")} ${c.number}`}
        onBack={() => navigate("/inventory/counts")}
        sub={<StateTag state={c.state} testId="count-state" />}
        extra={
          <>
            {canEdit && c.state === "draft" && (
              <Button type="primary" icon={<LockOutlined />} onClick={start} data-testid="count-start">
                {t("start")}
              </Button>
            )}
            {canEdit && c.state === "counting" && (
              <Button type="primary" icon={<SendOutlined />} onClick={submit} data-testid="count-submit">
                {t("submit")}
              </Button>
            )}
            {canApprove && c.state === "review" && (
              <>
                <Button icon={<RollbackOutlined />} onClick={reject} data-testid="count-reject">
                  {t("reject")}
                </Button>
                <Button type="primary" icon={<CheckCircleOutlined />} onClick={approve} data-testid="count-approve">
                  {t("approve")}
                </Button>
              </>
            )}
            {canEdit && ["draft", "counting", "review"].includes(c.state) && (
              <Button danger icon={<StopOutlined />} onClick={cancel} data-testid="count-cancel">
                {t("cancelCount")}
              </Button>
            )}
          </>
        }
      />
      {c.state !== "cancelled" && (
        <Steps
          size="small"
          current={STEP[c.state]}
          style={{ marginBottom: 12 }}
          items={[{ title: t("st_draft") }, { title: t("st_counting") }, { title: t("st_review") }, { title: t("st_posted") }]}
        />
      )}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          <Col xs={24} lg={16}>
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2 }}
              items={[
                { key: "wh", label: t("warehouse"), children: `${c.warehouseCode} ${pickName(lang, c.warehouseNameZh, c.warehouseNameEn)}` },
                { key: "locs", label: t("countLocations"), children: c.locations.map((l) => l.code).join(", ") },
                { key: "items", label: t("countItems"), children: c.items.length ? c.items.map((i) => i.itemCode).join(", ") : t("allItems") },
                { key: "blind", label: t("blind"), children: c.blind ? tc("yes") : tc("no") },
                { key: "created", label: t("createdBy"), children: `${c.createdByName} · ${formatDateTime(c.createdAt)}` },
                ...(c.frozenAt ? [{ key: "frozen", label: t("frozenAt"), children: formatDateTime(c.frozenAt) }] : []),
                ...(c.submittedByName ? [{ key: "sub", label: t("submittedBy"), children: `${c.submittedByName} · ${formatDateTime(c.submittedAt)}` }] : []),
                ...(c.approvedByName ? [{ key: "appr", label: t("approvedBy"), children: `${c.approvedByName} · ${formatDateTime(c.approvedAt)}` }] : []),
                ...(c.note ? [{ key: "note", label: t("note"), children: c.note }] : []),
                ...(c.reviewNote ? [{ key: "rnote", label: t("reviewNote"), children: c.reviewNote }] : []),
              ]}
            />
          </Col>
          <Col xs={24} lg={8}>
            <Space size={24} wrap>
              <Statistic title={t("counted")} value={`${counted} / ${c.lines.length}`} />
              {showVariance && <Statistic title={t("gain")} value={gains} styles={{ content: { color: "#389e0d" } }} />}
              {showVariance && <Statistic title={t("loss")} value={losses} styles={{ content: { color: "#cf1322" } }} />}
              {showValue && showVariance && c.varianceValue && <Statistic title={t("varianceValue")} value={c.varianceValue} data-testid="count-variance-value" />}
            </Space>
          </Col>
        </Row>
        {c.state === "review" && <Alert type="warning" showIcon title={t("makerChecker")} style={{ marginTop: 8 }} />}
        {c.expectedHidden && <Alert type="info" showIcon title={t("expectedHidden")} style={{ marginTop: 8 }} />}
      </Card>
      {c.state === "counting" && canEdit && <ScanPanel count={c} onRecorded={() => refetch()} />}
      <Card size="small" title={t("lines")}>
        <Table<CountLine>
          size="small"
          rowKey="id"
          dataSource={c.lines}
          pagination={{ pageSize: 100, hideOnSinglePage: true }}
          scroll={{ x: "max-content" }}
          data-testid="count-lines"
          onRow={(l) => (l.variance && cmpDecimal(l.variance, "0") !== 0 && showVariance ? { style: { background: "#fffbe6" } } : {})}
          columns={[
            { title: t("location"), dataIndex: "locationCode", width: 140 },
            { title: t("item"), dataIndex: "itemCode", width: 200, render: (_: unknown, l) => <ItemCell code={l.itemCode} nameZh={l.itemNameZh} nameEn={l.itemNameEn} /> },
            { title: t("lot"), dataIndex: "lotNo", width: 120, render: (v: string | null) => v ?? "—" },
            { title: t("expiry"), dataIndex: "expiryDate", width: 110, render: (v: string | null) => <Expiry date={v} /> },
            ...(c.expectedHidden ? [] : [{ title: t("bookQty"), dataIndex: "bookQty", align: "right" as const, width: 100, render: (v: string | null) => <Qty value={v} /> }]),
            {
              title: t("counted"),
              dataIndex: "countedQty",
              align: "right",
              width: 150,
              render: (v: string | null, l) =>
                c.state === "counting" && canEdit ? (
                  <CountedInput count={c} line={l} onSaved={() => refetch()} />
                ) : v === null ? (
                  <Tag>{t("notCounted")}</Tag>
                ) : (
                  <Qty value={v} />
                ),
            },
            { title: t("uom"), dataIndex: "uom", width: 60 },
            ...(showVariance
              ? [
                  {
                    title: t("variance"),
                    dataIndex: "variance",
                    align: "right" as const,
                    width: 100,
                    render: (v: string | null) => <Qty value={v} signed />,
                  },
                  ...(showValue ? [{ title: t("varianceValue"), dataIndex: "varianceValue", align: "right" as const, width: 110, render: (v: string | null) => <Money value={v} /> }] : []),
                ]
              : []),
            { title: t("countedBy"), dataIndex: "countedByName", width: 170, render: (v: string | null, l) => (v ? `${v} · ${formatDateTime(l.countedAt)}` : "—") },
            ...(c.state === "posted" ? [{ title: t("moveId"), dataIndex: "adjustmentMoveId", width: 80, render: (v: number | null) => (v ? `#${v}` : "—") }] : []),
          ]}
        />
      </Card>
    </>
  );
}

/** Counted quantity typed straight into the table (replaces the line's count). */
function CountedInput({ count, line, onSaved }: { count: CountDetail; line: CountLine; onSaved: () => void }) {
  const showError = useApiError();
  const [value, setValue] = useState(line.countedQty ?? "");
  const [busy, setBusy] = useState(false);
  // Scans (and other counters) change the line: show what the server has now.
  useEffect(() => setValue(line.countedQty ?? ""), [line.countedQty]);
  const save = async () => {
    const v = value.trim();
    if (v === (line.countedQty ?? "") || !QTY_RE.test(v)) return;
    setBusy(true);
    try {
      await api.post(`/api/inventory/counts/${count.id}/record`, { entries: [{ itemId: line.itemId, locationId: line.locationId, lotId: line.lotId, quantity: v, mode: "set" }] });
      onSaved();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Input
      size="small"
      value={value}
      status={value && !QTY_RE.test(value.trim()) ? "error" : undefined}
      onChange={(e) => setValue(e.target.value)}
      onBlur={save}
      onPressEnter={save}
      disabled={busy}
      style={{ width: 110, textAlign: "right" }}
      data-testid={`count-line-${line.itemCode}-${line.lotNo ?? "none"}`}
    />
  );
}

/**
 * Barcode-scanner friendly entry: the code field takes the scan (a scanner types the code and Enter),
 * then the quantity field gets the focus (default 1); Enter records it and the code field is ready again.
 */
function ScanPanel({ count, onRecorded }: { count: CountDetail; onRecorded: () => void }) {
  const t = useT(invText);
  const { lang } = useLang();
  const { message } = App.useApp();
  const showError = useApiError();
  const [locationId, setLocationId] = useState<number>(count.locations[0]?.id);
  const [code, setCode] = useState("");
  const [qty, setQty] = useState("1");
  const [found, setFound] = useState<ScanResult | null>(null);
  const [lastCode, setLastCode] = useState<string | null>(null);
  const codeRef = useRef<InputRef>(null);
  const qtyRef = useRef<InputRef>(null);
  const locOptions = useMemo(() => count.locations.map((l) => ({ value: l.id, label: `${l.code} ${pickName(lang, l.nameZh, l.nameEn)}` })), [count, lang]);

  const resolve = async () => {
    const c = code.trim();
    if (!c) return;
    try {
      const r = await api.get<ScanResult>("/api/inventory/scan", { code: c });
      if (r.kind === "item" && r.tracking !== "none") {
        // A tracked item needs its lot: the next scan is the lot number.
        message.info(t("scanNeedsLot", { item: r.itemCode }));
        setCode("");
        return;
      }
      setFound(r);
      setLastCode(c);
      setQty("1");
      setTimeout(() => qtyRef.current?.focus({ cursor: "all" }), 0);
    } catch (e) {
      showError(e);
      setCode("");
    }
  };
  const record = async () => {
    if (!found || !QTY_RE.test(qty.trim())) return;
    try {
      await api.post(`/api/inventory/counts/${count.id}/record`, {
        entries: [{ itemId: found.itemId, locationId, lotId: found.lotId, quantity: qty.trim(), mode: "add" }],
      });
      message.success(t("scanRecorded", { item: `${found.itemCode}${found.lotNo ? ` / ${found.lotNo}` : ""}`, qty: qty.trim() }));
      setFound(null);
      setCode("");
      onRecorded();
      setTimeout(() => codeRef.current?.focus(), 0);
    } catch (e) {
      showError(e);
    }
  };

  return (
    <Card size="small" title={<Space><ScanOutlined />{t("scanTitle")}</Space>} style={{ marginBottom: 12 }} data-testid="count-scan-panel">
      <Typography.Paragraph type="secondary">{t("scanHint")}</Typography.Paragraph>
      <Form layout="inline">
        <Form.Item label={t("scanLocation")}>
          <Select value={locationId} onChange={setLocationId} options={locOptions} style={{ width: 240 }} data-testid="scan-location" />
        </Form.Item>
        <Form.Item label={t("scanCode")}>
          <Input
            ref={codeRef}
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onPressEnter={resolve}
            style={{ width: 220 }}
            prefix={<ScanOutlined />}
            data-testid="scan-code"
          />
        </Form.Item>
        <Form.Item label={t("scanQty")}>
          <Input
            ref={qtyRef}
            value={qty}
            onChange={(e) => setQty(e.target.value)}
            onPressEnter={record}
            disabled={!found}
            style={{ width: 120 }}
            status={qty && !QTY_RE.test(qty.trim()) ? "error" : undefined}
            suffix={found?.uom}
            data-testid="scan-qty"
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" onClick={record} disabled={!found} data-testid="scan-record">
            {t("record")}
          </Button>
        </Form.Item>
      </Form>
      {found && (
        <Typography.Text style={{ display: "block", marginTop: 8 }} data-testid="scan-found">
          {lastCode} → <strong>{found.itemCode}</strong> {pickName(lang, found.itemNameZh, found.itemNameEn)}
          {found.lotNo ? ` · ${t("lot")} ${found.lotNo}` : ""}
        </Typography.Text>
      )}
    </Card>
  );
}
