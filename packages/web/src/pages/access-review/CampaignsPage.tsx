import { LockOutlined, PlayCircleOutlined, ReloadOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Space, Table, Tag, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { type Campaign, REVIEW_KEY, useCampaigns } from "./api";
import { reviewText } from "./i18n";
import { CampaignCounts, CampaignProgress } from "./parts";

interface StartValues {
  nameZh: string;
  nameEn: string;
  dueInDays: number;
}

function StartModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT(reviewText);
  const tc = useT(common);
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<StartValues>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();

  useEffect(() => {
    if (!open) return;
    renewKey();
    form.resetFields();
    // Named after the quarter, as the scheduled reviews are; the user may change it.
    const now = new Date();
    const q = Math.floor(now.getMonth() / 3) + 1;
    const y = now.getFullYear();
    form.setFieldsValue({ nameZh: `${y} 年第 ${q} 季度权限审查（补充）`, nameEn: `Access review Q${q} ${y} (extra)`, dueInDays: 14 });
  }, [open, form, renewKey]);

  const submit = async (v: StartValues) => {
    setBusy(true);
    try {
      const r = await api.post<{ id: number; items: number }>(
        "/api/access-reviews",
        { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), dueInDays: v.dueInDays },
        { idempotencyKey: idemKey() },
      );
      renewKey();
      message.success(t("started", { n: r.items }));
      await qc.invalidateQueries({ queryKey: REVIEW_KEY });
      onClose();
      navigate(`/access/reviews/${r.id}`);
    } catch (e) {
      showError(e, { form });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t("startTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("start")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "review-start-submit" }}
      forceRender
    >
      <Typography.Paragraph type="secondary">{t("startText")}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} data-testid="review-start-form">
        <Form.Item name="nameZh" label={t("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("nameZh") }) }]}>
          <Input maxLength={200} data-testid="review-start-nameZh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("nameEn") }) }]}>
          <Input maxLength={200} data-testid="review-start-nameEn" />
        </Form.Item>
        <Form.Item name="dueInDays" label={t("dueInDays")} extra={t("dueInDaysHelp")} rules={[{ required: true, message: tc("required", { field: t("dueInDays") }) }]}>
          <InputNumber min={1} max={90} precision={0} style={{ width: 160 }} data-testid="review-start-days" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Closing archives a campaign; the server refuses while items are pending, so the button says why first. */
export function CloseButton({ c, size }: { c: Campaign; size?: "small" | "middle" }) {
  const t = useT(reviewText);
  const tc = useT(common);
  const { lang } = useLang();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  if (c.status !== "open") return null;
  const blocked = c.pending > 0;
  const button = (
    <Button
      size={size}
      icon={<LockOutlined />}
      disabled={blocked}
      data-testid={`review-close-${c.id}`}
      onClick={() =>
        modal.confirm({
          title: t("closeTitle", { name: pickName(lang, c.nameZh, c.nameEn) }),
          content: t("closeText"),
          okText: t("close"),
          cancelText: tc("cancel"),
          okButtonProps: { "data-testid": "review-close-ok" },
          onOk: async () => {
            try {
              await api.post(`/api/access-reviews/${c.id}/close`, {});
              message.success(t("closedOk"));
            } catch (e) {
              showError(e);
            }
            await qc.invalidateQueries({ queryKey: REVIEW_KEY });
          },
        })
      }
    >
      {t("close")}
    </Button>
  );
  return blocked ? <Tooltip title={t("closeBlocked", { n: c.pending })}>{button}</Tooltip> : button;
}

/** The campaign's own deadline has passed while it is still open (items may have been given more time by escalation). */
export const isPastDue = (c: Campaign) => c.status === "open" && dayjs(c.dueAt).isBefore(dayjs());

export function CampaignStatusTag({ c }: { c: Campaign }) {
  const t = useT(reviewText);
  return (
    <Tag color={c.status === "open" ? "processing" : "default"} data-testid={`review-campaign-status-${c.id}`} data-status={c.status}>
      {t(`campaignStatus_${c.status}`)}
    </Tag>
  );
}

export default function CampaignsPage() {
  const t = useT(reviewText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const campaigns = useCampaigns();
  const [starting, setStarting] = useState(false);
  const canManage = can("access.review.manage");
  const hasOpen = (campaigns.data ?? []).some((c) => c.status === "open");

  return (
    <>
      <PageHeader
        title={t("campaignsTitle")}
        extra={
          <>
            {can("access.review.decide") && (
              <Button onClick={() => navigate("/access/my-reviews")} data-testid="review-go-mine">
                {t("goMine")}
              </Button>
            )}
            {canManage && (
              <Tooltip title={hasOpen ? t("startOpenExists") : undefined}>
                <Button type="primary" icon={<PlayCircleOutlined />} disabled={hasOpen} onClick={() => setStarting(true)} data-testid="review-start">
                  {t("start")}
                </Button>
              </Tooltip>
            )}
          </>
        }
      />
      <Alert type="info" showIcon title={t("campaignsIntro")} style={{ marginBottom: 12 }} />
      <Card size="small">
        <div className="kw-toolbar">
          <Button icon={<ReloadOutlined />} onClick={() => campaigns.refetch()} loading={campaigns.isFetching && !campaigns.isLoading}>
            {tc("refresh")}
          </Button>
        </div>
        <Table<Campaign>
          rowKey="id"
          size="small"
          loading={campaigns.isLoading}
          dataSource={campaigns.data ?? []}
          data-testid="review-campaigns-table"
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("noCampaigns") }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => tc("total", { total }) }}
          columns={[
            {
              title: t("campaign"),
              key: "name",
              width: 210,
              render: (_, c) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/access/reviews/${c.id}`} data-testid={`review-campaign-${c.id}`}>
                    {pickName(lang, c.nameZh, c.nameEn)}
                  </Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`trigger_${c.trigger}`)}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t("status"),
              key: "status",
              width: 150,
              render: (_, c) => (
                <Space orientation="vertical" size={0}>
                  <CampaignStatusTag c={c} />
                  {c.closedAt && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("closedOn", { time: formatDateTime(c.closedAt) })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t("progress"), key: "progress", width: 190, render: (_, c) => <CampaignProgress c={c} width={170} /> },
            { title: t("counts"), key: "counts", width: 210, render: (_, c) => <CampaignCounts c={c} /> },
            { title: t("startedAt"), dataIndex: "startedAt", width: 150, render: (v: string) => formatDateTime(v) },
            {
              title: t("dueAt"),
              dataIndex: "dueAt",
              width: 150,
              render: (v: string, c) => <Typography.Text type={isPastDue(c) ? "danger" : undefined}>{formatDateTime(v)}</Typography.Text>,
            },
            {
              title: tc("actions"),
              key: "actions",
              width: 170,
              fixed: "right",
              render: (_, c) => (
                <Space size={4}>
                  <Button size="small" type="link" onClick={() => navigate(`/access/reviews/${c.id}`)}>
                    {t("view")}
                  </Button>
                  {canManage && <CloseButton c={c} size="small" />}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <StartModal open={starting} onClose={() => setStarting(false)} />
    </>
  );
}
