/** What every page component receives from the shell. */
export interface PageProps {
  /** The analysis kind, for pages rendered by AnalysisPage. */
  analysis?: string;
}
