from xml.dom import minidom

doc = minidom.Document()
root = doc.createElement("playlist")
doc.appendChild(root)
for title in ["Intro", "Outro"]:
    track = doc.createElement("track")
    track.setAttribute("title", title)
    root.appendChild(track)
print(doc.toprettyxml())
