import { CheckCircleOutlined, DownloadOutlined, InboxOutlined, WarningOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Radio, Result, Space, Steps, Table, Tag, Typography, Upload } from "antd";
import { useState } from "react";
import { api, type Page } from "../../../api/client";
import { useApiError } from "../../../api/errors";
import { useAuth } from "../../../auth/AuthProvider";
import { formatDateTime } from "../../../components/format";
import { PageHeader } from "../../../components/PageHeader";
import { type ImportError, type ImportKind, type ImportRun, type ImportRunRow, MD, downloadFile, postForm } from "./api";
import type { CatKey } from "./i18n";
import { P, useCatalogText } from "./parts";

const KINDS: { kind: ImportKind; permissions: string[] }[] = [
  { kind: "item", permissions: [P.itemEdit] },
  { kind: "uom", permissions: [P.uomEdit] },
  { kind: "partner", permissions: [P.partnerEdit] },
  { kind: "supplier_item", permissions: [P.siEdit] },
  { kind: "bom", permissions: ["masterdata.bom.edit", "masterdata.bom.quantity.read"] },
  { kind: "opening_stock", permissions: ["inventory.receipt.edit", "inventory.receipt.post"] },
];

/**
 * The import wizard (DAT-3): choose what to import, upload a CSV or XLSX file, read the check (every bad
 * row with its column and reason; nothing imported yet), then import all rows (only if none is bad) or
 * only the good ones.
 */
export default function ImportPage() {
  const { t, tc } = useCatalogText();
  const { can, me } = useAuth();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const kinds = KINDS.filter((k) => k.permissions.every((p) => can(p)));
  const [kind, setKind] = useState<ImportKind>(kinds[0]?.kind ?? "item");
  const [run, setRun] = useState<ImportRun | null>(null);
  const [busy, setBusy] = useState(false);
  const history = useQuery({
    queryKey: ["md", "imports"],
    queryFn: () => api.get<Page<ImportRunRow>>(`${MD}/imports`, { pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  const step = !run ? 1 : run.status === "imported" ? 3 : 2;

  const upload = async (file: File) => {
    setBusy(true);
    try {
      const r = await postForm<ImportRun>(`${MD}/imports`, { kind }, file, file.name, me?.csrfToken ?? "");
      setRun(r);
      await qc.invalidateQueries({ queryKey: ["md", "imports"] });
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const execute = (mode: "all" | "good") => {
    if (!run) return;
    modal.confirm({
      title: mode === "all" ? t("importAllTitle", { rows: run.rowCount }) : t("importGoodTitle"),
      content: mode === "all" ? t("importAllHint") : t("importGoodText", { good: run.goodRowCount, bad: run.errorRowCount }),
      okText: mode === "all" ? t("importAll") : t("importGood", { good: run.goodRowCount }),
      okButtonProps: { "data-testid": "import-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          const done = await api.post<ImportRun>(`${MD}/imports/${run.id}/execute`, { mode });
          setRun(done);
          message.success(t("importDone", { imported: done.importedCount ?? 0, skipped: done.skippedCount ?? 0 }));
          await qc.invalidateQueries();
        } catch (e) {
          showError(e);
        }
      },
    });
  };

  const openRun = async (id: number) => {
    try {
      const r = await api.get<ImportRun>(`${MD}/imports/${id}`);
      setKind(r.kind);
      setRun(r);
    } catch (e) {
      showError(e);
    }
  };

  const errorsTable = (errors: ImportError[]) => (
    <Table<ImportError & { key: number }>
      rowKey="key"
      size="small"
      dataSource={errors.map((e, i) => ({ ...e, key: i }))}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (total) => tc("total", { total }) }}
      data-testid="import-errors"
      columns={[
        { title: t("line"), dataIndex: "line", width: 80, render: (v: number, e) => (e.rule.endsWith("_column") || e.rule === "forbidden" ? <Tag>{t("fileLevel")}</Tag> : v) },
        { title: t("column"), dataIndex: "column", width: 180, render: (v: string) => v || "—" },
        { title: t("value"), dataIndex: "value", width: 200, ellipsis: true, render: (v: string) => (v ? <Typography.Text code>{v}</Typography.Text> : "—") },
        { title: t("problem"), dataIndex: "message", render: (v: string) => <span data-testid="import-error-message">{v}</span> },
      ]}
    />
  );

  return (
    <>
      <PageHeader title={t("importTitle")} />
      <Card size="small">
        <Steps
          size="small"
          current={step}
          style={{ marginBottom: 16 }}
          items={[{ title: t("importStepKind") }, { title: t("importStepUpload") }, { title: t("importStepCheck") }, { title: t("importStepDone") }]}
        />
        {!run && (
          <Space orientation="vertical" style={{ width: "100%" }} size={12}>
            <Space wrap>
              <Typography.Text strong>{t("importKind")}</Typography.Text>
              <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)} optionType="button" buttonStyle="solid" data-testid="import-kind">
                {kinds.map((k) => (
                  <Radio.Button key={k.kind} value={k.kind}>
                    <span data-testid={`import-kind-${k.kind}`}>{t(`kind_${k.kind}` as CatKey)}</span>
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Space>
            <Space wrap>
              <Button icon={<DownloadOutlined />} onClick={() => downloadFile(`${MD}/imports/template`, { kind, format: "xlsx" }).catch(showError)} data-testid="import-template-xlsx">
                {t("importTemplate")} (Excel)
              </Button>
              <Button icon={<DownloadOutlined />} onClick={() => downloadFile(`${MD}/imports/template`, { kind, format: "csv" }).catch(showError)}>
                {t("importTemplate")} (CSV)
              </Button>
            </Space>
            {(kind === "bom" || kind === "opening_stock") && (
              <Alert type="info" showIcon title={t(`importHint_${kind}` as CatKey)} data-testid="import-kind-hint" />
            )}
            <Typography.Text type="secondary">{t("importTemplateHint")}</Typography.Text>
            <div data-testid="import-upload">
            <Upload.Dragger
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              multiple={false}
              showUploadList={false}
              disabled={busy}
              customRequest={({ file }) => void upload(file as File)}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{busy ? t("importChecking") : t("importDrop")}</p>
              <p className="ant-upload-hint">{t(`kind_${kind}` as CatKey)}</p>
            </Upload.Dragger>
            </div>
          </Space>
        )}
        {run && run.status === "checked" && (
          <Space orientation="vertical" style={{ width: "100%" }} size={12} data-testid="import-check">
            <Typography.Text>
              {t(`kind_${run.kind}` as CatKey)} · <Typography.Text code>{run.fileName}</Typography.Text>
            </Typography.Text>
            {run.errors.length === 0 ? (
              <Alert type="success" showIcon icon={<CheckCircleOutlined />} title={t("importAllGood", { rows: run.rowCount })} data-testid="import-summary" />
            ) : (
              <Alert
                type="warning"
                showIcon
                icon={<WarningOutlined />}
                title={t("importChecked", { rows: run.rowCount, good: run.goodRowCount, bad: run.errorRowCount })}
                description={run.fileErrorCount > 0 ? t("importFileErrors", { count: run.fileErrorCount }) : undefined}
                data-testid="import-summary"
              />
            )}
            <Space wrap>
              <Button type="primary" disabled={run.errors.length > 0 || run.rowCount === 0} onClick={() => execute("all")} data-testid="import-all">
                {t("importAll")}
              </Button>
              <Button disabled={run.goodRowCount === 0 || run.errors.length === 0} onClick={() => execute("good")} data-testid="import-good">
                {t("importGood", { good: run.goodRowCount })}
              </Button>
              <Button onClick={() => setRun(null)} data-testid="import-restart">
                {t("importAgain")}
              </Button>
            </Space>
            <Typography.Text type="secondary">{t("importAllHint")}</Typography.Text>
            {run.errors.length > 0 && (
              <>
                <Typography.Title level={5} style={{ margin: 0 }}>
                  {t("importErrors")}
                </Typography.Title>
                {errorsTable(run.errors)}
              </>
            )}
          </Space>
        )}
        {run && run.status === "imported" && (
          <>
            <Result
              status="success"
              title={t("importDone", { imported: run.importedCount ?? 0, skipped: run.skippedCount ?? 0 })}
              subTitle={`${t(`kind_${run.kind}` as CatKey)} · ${run.fileName} · ${run.importedByName ?? ""} ${formatDateTime(run.importedAt)}`}
              extra={
                <Button type="primary" onClick={() => setRun(null)} data-testid="import-restart">
                  {t("importAgain")}
                </Button>
              }
              data-testid="import-done"
            />
            {run.errors.length > 0 && errorsTable(run.errors)}
          </>
        )}
      </Card>
      <Card size="small" title={t("importHistory")} style={{ marginTop: 12 }}>
        <Table<ImportRunRow>
          rowKey="id"
          size="small"
          loading={history.isFetching}
          dataSource={history.data?.items ?? []}
          pagination={false}
          data-testid="import-history"
          columns={[
            { title: t("uploadedAt"), dataIndex: "createdAt", width: 170, render: (v: string) => formatDateTime(v) },
            { title: t("importKind"), dataIndex: "kind", width: 170, render: (v: string) => t(`kind_${v}` as CatKey) },
            { title: t("fileName"), dataIndex: "fileName", ellipsis: true },
            { title: t("rows"), dataIndex: "rowCount", width: 70, align: "right" },
            { title: t("errorRows"), dataIndex: "errorRowCount", width: 80, align: "right" },
            { title: t("status"), dataIndex: "status", width: 140, render: (v: string) => <Tag color={v === "imported" ? "green" : "default"}>{t(`run_${v}` as CatKey)}</Tag> },
            { title: t("mode"), dataIndex: "mode", width: 110, render: (v: string | null) => (v ? t(`mode_${v}` as CatKey) : "—") },
            { title: t("importedCount"), dataIndex: "importedCount", width: 80, align: "right", render: (v) => v ?? "—" },
            { title: t("checkedBy"), dataIndex: "createdByName", width: 140 },
            {
              title: tc("actions"),
              key: "a",
              width: 80,
              render: (_, r) => (
                <Button size="small" onClick={() => openRun(r.id)} data-testid={`import-run-${r.id}`}>
                  {t("viewRun")}
                </Button>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
