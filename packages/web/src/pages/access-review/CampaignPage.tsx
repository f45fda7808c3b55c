import { DownloadOutlined, ReloadOutlined } from "@ant-design/icons";
import { App, Button, Card, Checkbox, Descriptions, Input, Result, Select, Space, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { PageSpin } from "../../components/Results";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { downloadCsv, type ItemStatus, type ReviewItem, toCsv, useCampaignItems, useCampaigns } from "./api";
import { CampaignStatusTag, CloseButton, isPastDue } from "./CampaignsPage";
import { reviewText } from "./i18n";
import { CampaignCounts, CampaignProgress, DueCell, ItemStatusTag, itemRowProps, PersonCell, RoleCell, roleLabel, scopeName } from "./parts";

// Reviewer filter value for items nobody above could take (reviewer null).
const ADMINS = "\u0000admins";

export default function CampaignPage() {
  const t = useT(reviewText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const validId = Number.isInteger(id) && id > 0;
  const campaigns = useCampaigns();
  const items = useCampaignItems(validId ? id : null);
  const [status, setStatus] = useState<ItemStatus | undefined>();
  const [reviewer, setReviewer] = useState<string | undefined>();
  const [onlyOverdue, setOnlyOverdue] = useState(false);
  const [q, setQ] = useState("");

  const campaign = campaigns.data?.find((c) => c.id === id);
  const all = items.data ?? [];
  const reviewerName = (i: ReviewItem) => i.reviewer ?? t("reviewerAdmins");
  const reviewers = useMemo(() => {
    const names = [...new Set(all.map((i) => i.reviewer).filter((r): r is string => r !== null))].sort((a, b) => a.localeCompare(b, lang));
    return [...names.map((n) => ({ value: n, label: n })), ...(all.some((i) => i.reviewer === null) ? [{ value: ADMINS, label: t("reviewerAdmins") }] : [])];
  }, [all, lang, t]);
  const shown = useMemo(() => {
    const s = q.trim().toLowerCase();
    return all.filter(
      (i) =>
        (!status || i.status === status) &&
        (!reviewer || (reviewer === ADMINS ? i.reviewer === null : i.reviewer === reviewer)) &&
        (!onlyOverdue || i.overdue) &&
        (!s || [i.displayName, i.username, i.role, i.roleNameZh, i.roleNameEn].some((v) => v?.toLowerCase().includes(s))),
    );
  }, [all, status, reviewer, onlyOverdue, q]);

  if (!validId || (campaigns.isSuccess && !campaign)) {
    return <Result status="404" title={t("notFound")} extra={<Button onClick={() => navigate("/access/reviews")}>{tc("back")}</Button>} />;
  }
  if (!campaign) return <PageSpin />;
  const name = pickName(lang, campaign.nameZh, campaign.nameEn);

  const scopeText = (i: ReviewItem) => scopeName(i, lang, t("scopeAll"));
  // Exactly the rows the filters show, in the current language, for the auditors' working papers.
  const exportCsv = () => {
    if (shown.length === 0) {
      message.warning(t("exportEmpty"));
      return;
    }
    const header = [
      t("person"), t("username"), t("department"), t("role"), t("roleCode"), t("scope"), t("reviewer"), t("escalationLevel"),
      t("dueAt"), t("status"), t("decidedBy"), t("decidedAt"), t("note"),
    ];
    const rows = shown.map((i) => [
      i.displayName, i.username, pickName(lang, i.userDepartmentZh, i.userDepartmentEn), roleLabel(i, lang), i.role, scopeText(i), reviewerName(i),
      i.escalationLevel, formatDateTime(i.dueAt), `${t(`status_${i.status}`)}${i.overdue ? ` (${t("overdue")})` : ""}`, i.decidedBy ?? "",
      i.decidedAt ? formatDateTime(i.decidedAt) : "", i.note ?? "",
    ]);
    downloadCsv(t("exportName", { name: name.replace(/[\\/:*?"<>|]/g, "_") }), toCsv(header, rows));
  };

  return (
    <>
      <PageHeader
        title={t("detailTitle", { name })}
        onBack={() => navigate("/access/reviews")}
        sub={<CampaignStatusTag c={campaign} />}
        extra={
          <>
            {campaign.status === "open" && can("access.review.decide") && (
              <Button onClick={() => navigate("/access/my-reviews")} data-testid="review-go-mine">
                {t("goMine")}
              </Button>
            )}
            {can("access.review.manage") && <CloseButton c={campaign} />}
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: "trigger", label: t("trigger"), children: t(`trigger_${campaign.trigger}`) },
            { key: "started", label: t("startedAt"), children: formatDateTime(campaign.startedAt) },
            {
              key: "due",
              label: t("dueAt"),
              children: <Typography.Text type={isPastDue(campaign) ? "danger" : undefined}>{formatDateTime(campaign.dueAt)}</Typography.Text>,
            },
            { key: "closed", label: t("closedAt"), children: formatDateTime(campaign.closedAt) },
            { key: "progress", label: t("progress"), children: <CampaignProgress c={campaign} width={260} /> },
            { key: "counts", label: t("counts"), children: <CampaignCounts c={campaign} /> },
          ]}
        />
      </Card>
      <Card size="small">
        <div className="kw-toolbar">
          <Input.Search allowClear placeholder={t("searchItems")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 220 }} data-testid="review-items-search" />
          <Select
            allowClear
            placeholder={t("allStatuses")}
            value={status}
            onChange={setStatus}
            style={{ width: 150 }}
            options={(["pending", "confirmed", "revoked"] as const).map((s) => ({ value: s, label: t(`status_${s}`) }))}
            data-testid="review-filter-status"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t("allReviewers")}
            value={reviewer}
            onChange={setReviewer}
            style={{ width: 260 }}
            options={reviewers}
            data-testid="review-filter-reviewer"
          />
          <Checkbox checked={onlyOverdue} onChange={(e) => setOnlyOverdue(e.target.checked)} data-testid="review-filter-overdue">
            {t("onlyOverdue")}
          </Checkbox>
          <Button icon={<ReloadOutlined />} onClick={() => void Promise.all([items.refetch(), campaigns.refetch()])} loading={items.isFetching && !items.isLoading}>
            {tc("refresh")}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={exportCsv} data-testid="review-export">
            {t("exportCsv")}
          </Button>
        </div>
        <Table<ReviewItem>
          rowKey="id"
          size="small"
          loading={items.isLoading}
          dataSource={shown}
          data-testid="review-items-table"
          scroll={{ x: "max-content" }}
          onRow={(r) => itemRowProps(r, `review-item-${r.id}`)}
          pagination={{ defaultPageSize: 50, showSizeChanger: true, hideOnSinglePage: true, showTotal: (total) => tc("total", { total }) }}
          columns={[
            {
              title: t("person"),
              key: "person",
              width: 180,
              sorter: (a, b) => a.displayName.localeCompare(b.displayName, lang),
              render: (_, r) => <PersonCell item={r} />,
            },
            {
              title: t("role"),
              key: "role",
              width: 170,
              sorter: (a, b) => roleLabel(a, lang).localeCompare(roleLabel(b, lang), lang),
              render: (_, r) => <RoleCell item={r} />,
            },
            {
              title: t("reviewer"),
              key: "reviewer",
              width: 140,
              sorter: (a, b) => reviewerName(a).localeCompare(reviewerName(b), lang),
              render: (_, r) => (r.reviewer ?? <Typography.Text type="warning">{t("reviewerAdmins")}</Typography.Text>),
            },
            {
              title: t("dueAt"),
              key: "due",
              width: 190,
              sorter: (a, b) => a.dueAt.localeCompare(b.dueAt),
              render: (_, r) => (r.status === "pending" ? <DueCell item={r} /> : formatDateTime(r.dueAt)),
            },
            {
              title: t("status"),
              key: "status",
              width: 90,
              sorter: (a, b) => a.status.localeCompare(b.status),
              render: (_, r) => <ItemStatusTag item={r} />,
            },
            {
              title: t("decision"),
              key: "decided",
              width: 160,
              sorter: (a, b) => (a.decidedAt ?? "").localeCompare(b.decidedAt ?? ""),
              render: (_, r) =>
                r.decidedAt ? (
                  <Space orientation="vertical" size={0}>
                    <span>{r.decidedBy}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(r.decidedAt)}
                    </Typography.Text>
                  </Space>
                ) : (
                  "—"
                ),
            },
            {
              title: t("note"),
              dataIndex: "note",
              width: 200,
              ellipsis: true,
              render: (v: string | null, r) => (v ? <Typography.Text type={r.status === "revoked" ? "danger" : undefined} title={v}>{v}</Typography.Text> : "—"),
            },
          ]}
        />
      </Card>
    </>
  );
}
