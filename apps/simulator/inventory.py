"""The modules a default gateway image ships with, per version line.

The 8.3 id list is the default 8.3.9 image's (32 modules, live capture). The names "OPC-UA",
"Perspective", "Historian Core", "Vision" and "WebDev" and the majors of OPC-UA (10),
Perspective (3) and Vision (12) are recorded too; the other names and majors are stand-ins in
the same style. Versions read ``<major>.<minor>.<patch> (b<build>)`` with the gateway's own
patch and build, so 8.3.0 and 8.3.9 differ. 8.1 keeps a small invented set.
"""

IA = "com.inductiveautomation"
DRIVERS = (
    ("ablegacy", "Allen-Bradley Legacy Driver"),
    ("bacnet", "BACnet Driver"),
    ("dnp3", "DNP3 Driver"),
    ("dnp3v2", "DNP3 Driver v2"),
    ("iec61850", "IEC 61850 Driver"),
    ("logix", "Allen-Bradley Logix Driver"),
    ("micro800", "Micro800 Driver"),
    ("mitsubishi", "Mitsubishi Driver"),
    ("modbus", "Modbus Driver"),
    ("omron", "Omron Driver"),
    ("siemens", "Siemens Drivers"),
    ("siemens-symbolic", "Siemens Symbolic Driver"),
    ("tcpudp", "UDP and TCP Drivers"),
)
MODULES_83 = (
    ("alarm-notification", "Alarm Notification", 6),
    ("connectors.kafka", "Kafka Connector", 1),
    ("eam", "Enterprise Administration", 6),
    ("eventstream", "Event Streams", 1),
    ("historian", "Historian Core", 6),
    ("historian.sql", "SQL Historian", 6),
    ("jdbc.mariadb", "MariaDB JDBC Driver", 3),
    ("jdbc.mssql", "Microsoft SQL Server JDBC Driver", 12),
    ("jdbc.postgresql", "PostgreSQL JDBC Driver", 42),
    ("opcua", "OPC-UA", 10),
    *((f"opcua.drivers.{key}", name, 7) for key, name in DRIVERS),
    ("perspective", "Perspective", 3),
    ("phone-notification", "Voice Notification", 6),
    ("reporting", "Reporting", 6),
    ("sfc", "SFC", 6),
    ("sms-notification", "SMS Notification", 6),
    ("sqlbridge", "SQL Bridge (Transaction Groups)", 6),
    ("symbol-factory", "Symbol Factory", 6),
    ("vision", "Vision", 12),
    ("webdev", "WebDev", 5),
)
MODULES_81 = (
    ("perspective", "Perspective", 2),
    ("opcua", "OPC-UA", 8),
    ("vision", "Vision", 11),
)


def default_modules(version: str, build: str) -> list[tuple[str, str, str]]:
    """``(id, name, version)`` of every module of a default image of ``version``."""
    line, patch = version[:3], version.split(".")[2]
    table = MODULES_83 if line == "8.3" else MODULES_81
    minor = line.split(".")[1]
    return [
        (f"{IA}.{key}", name, f"{major}.{minor}.{patch} ({build})") for key, name, major in table
    ]
