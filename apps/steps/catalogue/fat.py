"""FAT (factory acceptance test) report steps; reports are artifacts and database rows."""

from apps.steps.catalogue.common import BROWSER, artifact_name
from apps.steps.schema import LegacyKey, Param, ParamType, StepType

FAMILY = "fat"

STEP_TYPES = (
    StepType(
        id="fat.generate_report",
        family=FAMILY,
        handler="apps.steps.plugins.fat.generate.run",
        title="Generate a FAT report",
        description="Build a self-contained HTML report (screenshots embedded) from manifest "
        "results and store it with the run.",
        params=(
            Param(
                "test_results",
                ParamType.DICT,
                required=True,
                description="Output of perspective.execute_test_manifest, e.g. `{{ step.tests }}`.",
            ),
            Param("visual_analysis", ParamType.DICT, description="Visual consistency results."),
            Param(
                "metadata", ParamType.DICT, description="project_name, test_date, tester, client."
            ),
            Param(
                "format",
                ParamType.STRING,
                default="html",
                enum=("html",),
                description="Report format.",
            ),
        ),
        outputs=(
            "status",
            "report_id",
            "report_path",
            "format",
            "total_tests",
            "passed_tests",
            "failed_tests",
            "skipped_tests",
            "pass_rate",
            "visual_issues",
            "report",
            "artifacts",
        ),
        legacy_params=(
            LegacyKey("template", "Reports use the built-in template; remove 'template'"),
            LegacyKey(
                "screenshots_dir",
                "Screenshots are taken from the run's artifacts; remove 'screenshots_dir'",
            ),
        ),
        example={
            "test_results": "{{ step.tests }}",
            "metadata": {
                "project_name": "{{ project_name }}",
                "tester": "{{ tester }}",
                "client": "ACME Water",
            },
        },
    ),
    StepType(
        id="fat.export_report",
        family=FAMILY,
        handler="apps.steps.plugins.fat.export.run",
        title="Export a FAT report",
        description="Export a generated report as HTML or a real PDF (Chromium print-to-PDF).",
        params=(
            Param(
                "report_id",
                ParamType.STRING,
                required=True,
                description="e.g. `{{ step.report.report_id }}`.",
            ),
            Param(
                "format",
                ParamType.STRING,
                default="pdf",
                enum=("html", "pdf"),
                description="Export format.",
            ),
            artifact_name("output_path", "File name of the exported artifact."),
        ),
        outputs=("status", "format", "output_path", "report_id", "report", "artifacts"),
        requires=(BROWSER,),
        example={
            "report_id": "{{ step.report.report_id }}",
            "format": "pdf",
            "output_path": "fat/line1_fat_report.pdf",
        },
    ),
)
