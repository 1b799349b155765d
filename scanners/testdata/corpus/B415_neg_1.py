import pyipmi
import pyipmi.interfaces

interface = pyipmi.interfaces.create_interface("ipmitool", interface_type="lanplus")
ipmi = pyipmi.create_connection(interface)
ipmi.session.set_session_type_rmcp("10.0.0.20", port=623)
print(ipmi.get_chassis_status().power_on)
