#include "platform/web/presented_frame.h"

#include "imgui_internal.h" // ImHashData

namespace web {

template <typename T> static ImU32 HashVector(const ImVector<T>& v, ImU32 seed) {
    return v.Size == 0 ? seed : ImHashData(v.Data, static_cast<size_t>(v.Size) * sizeof(T), seed);
}

bool PresentedFrame::changed(const ImDrawData& data, int width, int height) {
    Key key;
    key.width = width;
    key.height = height;
    const float view[6] = {data.DisplayPos.x,  data.DisplayPos.y,       data.DisplaySize.x,
                           data.DisplaySize.y, data.FramebufferScale.x, data.FramebufferScale.y};
    key.hash = ImHashData(view, sizeof view, 0);
    for (int i = 0; i < data.CmdListsCount; ++i) {
        const ImDrawList& list = *data.CmdLists[i];
        key.hash = HashVector(list.VtxBuffer, key.hash);
        key.hash = HashVector(list.IdxBuffer, key.hash);
        key.hash = HashVector(list.CmdBuffer, key.hash);
        key.vertices += list.VtxBuffer.Size;
        key.indices += list.IdxBuffer.Size;
        key.commands += list.CmdBuffer.Size;
    }
    if (known_ && key == shown_)
        return false;
    shown_ = key;
    known_ = true;
    return true;
}

PresentedFrame& Canvas() {
    static PresentedFrame canvas;
    return canvas;
}

} // namespace web
