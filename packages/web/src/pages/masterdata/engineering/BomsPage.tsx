import { ApartmentOutlined, PlusOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useNavigate } from "react-router-dom";
import { useAuth } from "../../../auth/AuthProvider";
import { PageHeader } from "../../../components/PageHeader";
import { useT } from "../../../i18n/core";
import type { BomSummaryRow } from "./api";
import { engText } from "./i18n";
import { Qty } from "./parts";
import { useVersionedList, VersionedListCard } from "./versionedList";
import { ExportButtons } from "../catalog/parts";

export default function BomsPage() {
  const t = useT(engText);
  const { can } = useAuth();
  const navigate = useNavigate();
  const list = useVersionedList<BomSummaryRow>("bom");

  return (
    <>
      <PageHeader
        title={t("bomTitle")}
        extra={
          <>
            <ExportButtons path="/api/masterdata/boms/export" query={{ q: list.query || undefined, status: list.status }} testId="boms" />
            <Button icon={<ApartmentOutlined />} onClick={() => navigate("/masterdata/bom-analysis")} data-testid="bom-analysis-open">
              {t("explode")}
            </Button>
            {can("masterdata.bom.edit") && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/masterdata/boms/new")} data-testid="bom-create">
                {t("bomCreate")}
              </Button>
            )}
          </>
        }
      />
      <VersionedListCard
        list={list}
        searchHint={t("searchBomHint")}
        statusTestId="bom-status-filter"
        columns={[
          { title: t("baseQty"), dataIndex: "baseQty", width: 120, align: "right", render: (v: string | null, r) => <Qty value={v} unit={r.uom} /> },
          { title: t("lineCount"), dataIndex: "lineCount", width: 70, align: "right" },
        ]}
      />
    </>
  );
}
