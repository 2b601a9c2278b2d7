"""fat.* steps: FAT reports built from manifest results, stored as artifacts of the run.

``fat.generate_report`` writes one self-contained HTML file (screenshots as data URIs);
``fat.export_report`` copies it or prints it to a real PDF with the run's Chromium. Both put a
``report`` entry in their outputs, which the engine records with
``apps.reports.services.report_record`` (docs/perspective.md).
"""
