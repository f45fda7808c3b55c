import { DocumentsList } from "./DocumentsPage";

export default function IssuesPage() {
  return <DocumentsList type="issue" />;
}
